// The files `erp-plugin create` writes: a small but complete plugin (a route with schemas, a
// migration, an event it publishes and a subscription to it, a scheduled job, a lit element built
// with vite from ui/src by `erp-plugin build`, tests and docs) that passes its own tests as generated.
export interface ScaffoldOptions {
  id: string;
  packageName: string;
  displayName: string;
  version: string;
  kernelRange: string;
  sdkRange: string;
  /**
   * Where the kernel runs the plugin's code. Partners' plugins are `third-party` (the sandbox);
   * `first-party` (in the kernel's process) is for the platform's own plugins and for tests.
   */
  trust?: 'first-party' | 'third-party';
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function scaffoldFiles(o: ScaffoldOptions): Record<string, string> {
  const tag = `${o.id}-items`;
  const perm = (action: string) => `${o.id}.items.${action}`;
  return {
    'package.json': json({
      name: o.packageName,
      version: o.version,
      description: `${o.displayName}: a plugin for the ERP kernel`,
      license: 'Apache-2.0',
      type: 'module',
      engines: { erp: o.kernelRange },
      files: ['src', 'migrations', 'ui/dist', 'README.md', 'CHANGELOG.md'],
      scripts: { test: 'erp-plugin test', build: 'erp-plugin build', pack: 'erp-plugin pack' },
      dependencies: { '@erp/sdk': o.sdkRange },
      devDependencies: {
        '@erp/plugin-testkit': o.sdkRange,
        '@types/node': '^20.19.0',
        lit: '3.3.3',
        'playwright-core': '1.65.1',
        typescript: '5.9.3',
        vite: '8.3.8',
        vitest: '4.1.12',
      },
      erp: {
        id: o.id,
        displayName: o.displayName,
        description: 'Keeps a list of items per tenant and counts them.',
        trust: o.trust ?? 'third-party',
        entry: 'src/index.ts',
        migrations: 'migrations',
        permissions: {
          [perm('read')]: 'View items',
          [perm('write')]: 'Create items',
        },
        capabilities: [`events:publish:item.*`, `events:subscribe:${o.id}.item.*`],
        ui: {
          module: `ui/dist/${tag}.js`,
          assets: 'ui/dist',
          elements: [tag],
          navigation: [{ label: o.displayName, path: `/${o.id}`, element: tag, permission: perm('read') }],
        },
      },
    }),
    'src/index.ts': `// ${o.displayName}: routes, the event it publishes, a subscription and a job.
import { definePlugin, PluginProblem, route, schema } from '@erp/sdk';

const NewItem = schema({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const);

const Item = schema({
  type: 'object',
  required: ['id', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } },
} as const);

const ItemCreated = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'name'],
  properties: { itemId: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
} as const);

export default definePlugin({
  events: { 'item.created': ItemCreated },
  routes: {
    'GET /items': route({
      permission: '${perm('read')}',
      summary: 'List items',
      response: { type: 'object', required: ['items', 'count'], properties: { items: { type: 'array', items: Item }, count: { type: 'integer' } } },
      async handler(ctx) {
        const items = await ctx.db.query(
          'select id, name, created_at as "createdAt" from items where tenant_id = $1 order by created_at, id',
          [ctx.tenant.id],
        );
        const stats = await ctx.db.one<{ created: number }>('select created from item_stats where tenant_id = $1', [ctx.tenant.id]);
        return { items, count: stats?.created ?? 0 };
      },
    }),
    'POST /items': route({
      permission: '${perm('write')}',
      summary: 'Create an item',
      body: NewItem,
      response: Item,
      status: 201,
      async handler(ctx, { body }) {
        if (body.name.trim() === '') throw new PluginProblem(400, '${o.id.toUpperCase().replace(/-/g, '_')}_NAME_BLANK', 'Name is blank');
        const item = await ctx.db.one<{ id: string; name: string; createdAt: string }>(
          'insert into items (tenant_id, name) values ($1, $2) returning id, name, created_at as "createdAt"',
          [ctx.tenant.id, body.name],
        );
        await ctx.events.publish('item.created', { itemId: item!.id, name: item!.name });
        await ctx.audit.record({ action: '${o.id}.item.created', resource: 'item', resourceId: item!.id, data: { name: body.name } });
        return item;
      },
    }),
  },
  subscriptions: {
    'count-created': {
      event: '${o.id}.item.created',
      async handler(ctx) {
        await ctx.db.query(
          \`insert into item_stats (tenant_id, created) values ($1, 1)
           on conflict (tenant_id) do update set created = item_stats.created + 1\`,
          [ctx.tenant.id],
        );
      },
    },
  },
  jobs: {
    'nightly-count': {
      cron: '0 3 * * *',
      async handler(ctx) {
        const row = await ctx.db.one<{ n: string }>('select count(*) as n from items where tenant_id = $1', [ctx.tenant.id]);
        ctx.log.info('items counted', { items: Number(row?.n ?? 0) });
      },
    },
  },
});
`,
    'migrations/0001_items.sql': `-- Items and their counter. Every table carries tenant_id and is made tenant-isolated by the kernel's
-- erp.tenant_table(): forced row-level security on tenant_id (the install is refused otherwise).
create table items (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('items');

create table item_stats (
  tenant_id uuid primary key,
  created integer not null default 0
);
select erp.tenant_table('item_stats');
`,
    'ui/vite.config.ts': `// Builds the plugin's browser module (erp.ui.module) with the SDK's shared vite configuration:
// one ES module with lit and the SDK's UI helpers bundled in, loaded by the shell from the
// version's asset URL. \`erp-plugin build\` (and so \`erp-plugin pack\`) runs it.
import { pluginModuleConfig } from '@erp/sdk/vite';
import { defineConfig } from 'vite';

export default defineConfig(pluginModuleConfig(import.meta.url, { entry: 'src/${tag}.ts', fileName: '${tag}.js' }));
`,
    [`ui/src/${tag}.ts`]: `// <${tag}>: lists the tenant's items and adds one. The shell hands the element its context
// (an authenticated API client, the user's permissions, the theme); ErpPluginElement receives it
// and calls load() once the API can be reached. The element never sees a token.
import { type ApiProblem, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html } from 'lit';

interface Item {
  id: string;
  name: string;
  createdAt: string;
}

class Items extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties = {
    items: { state: true },
    name: { state: true },
    problem: { state: true },
  };
  declare items?: Item[];
  declare name: string;
  declare problem?: ApiProblem;

  constructor() {
    super();
    this.name = '';
  }

  protected override async load() {
    try {
      this.items = (await this.call<{ items: Item[] }>('/api/v1/p/${o.id}/items')).items;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async add(e: Event) {
    e.preventDefault();
    try {
      await this.call('/api/v1/p/${o.id}/items', { body: { name: this.name } });
      this.problem = undefined;
      this.name = '';
      this.notify('Item added', 'success');
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem; // shown in words next to the field, or above the button
    }
  }

  override render() {
    return html\`<h2>${o.displayName}</h2>
      \${dataTable([{ label: 'Name', value: (i: Item) => i.name }, { label: 'Created', value: (i: Item) => i.createdAt.slice(0, 10) }],
        this.items ?? [], { caption: 'Items', part: 'list', empty: 'No items yet.' })}
      \${this.can('${perm('write')}')
        ? html\`<form novalidate @submit=\${(e: Event) => this.add(e)}>
            \${formField({ id: 'name', label: 'Name', value: this.name, required: true,
              error: this.problem?.fieldMessage('/body/name'), onInput: (v) => { this.name = v; } })}
            \${this.problem && !this.problem.fieldMessage('/body/name') ? html\`<p class="error" role="alert">\${this.problem.message}</p>\` : ''}
            <div><button type="submit">Add item</button></div>
          </form>\`
        : ''}\`;
  }
}
customElements.define('${tag}', Items);
`,
    'ui/tsconfig.json': json({
      compilerOptions: {
        target: 'ES2023',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        types: [],
      },
      include: ['src'],
    }),
    'test/plugin.test.ts': `// Runs the plugin in a real kernel (embedded PostgreSQL unless DATABASE_URL is set) for a test tenant.
import { createPluginTestKit, type PluginTestKit } from '@erp/plugin-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('${o.displayName}', () => {
  let kit: PluginTestKit;
  beforeAll(async () => {
    kit = await createPluginTestKit({ pluginDir: new URL('..', import.meta.url) });
  });
  afterAll(async () => kit?.close());

  it('creates and lists items', async () => {
    const created = await kit.client.post('/items', { name: 'First' });
    expect(created.status).toBe(201);
    const list = await kit.client.get('/items');
    expect(list.status).toBe(200);
    expect(list.json.items.map((i: { name: string }) => i.name)).toEqual(['First']);
  });

  it('counts created items through its subscription', async () => {
    await kit.client.post('/items', { name: 'Second' });
    await kit.waitFor(async () => (await kit.client.get('/items')).json.count === 2);
  });

  it('refuses bad input with a problem naming the field', async () => {
    const res = await kit.client.post('/items', { name: 'x', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('/body/colour');
  });

  // ERP_TEST_RUNTIME=sandbox runs the same tests with the code in the kernel's sandbox.
  it('ran where the kit put it (in-process or sandbox)', async () => {
    const { usage } = (await kit.api.get('/api/v1/plugins/usage')).json;
    expect(usage.length).toBeGreaterThan(0);
    for (const u of usage) expect(u.runtime).toBe(kit.runtime);
  });
});
`,
    'test/ui.test.ts': `// The <${tag}> element in headless Chromium (skipped without /usr/bin/chromium): its module
// loaded from the kernel's asset URL, given an API client with a real key, adding an item through
// its form and showing the server's refusal next to the field.
import { createPluginTestKit, hasChromium, launch, mount, type PluginTestKit } from '@erp/plugin-testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.skipIf(!hasChromium)('<${tag}> in Chromium', () => {
  let kit: PluginTestKit;
  let browser: Browser;
  beforeAll(async () => {
    kit = await createPluginTestKit({ pluginDir: new URL('..', import.meta.url) });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it('lists and adds items', async () => {
    const origin = await kit.listen();
    const key = await kit.api.post('/api/v1/iam/api-keys', {
      name: 'ui test',
      permissions: ['${perm('read')}', '${perm('write')}'],
    });
    const ui = await kit.api.get('/api/v1/ui/manifest');
    const { module } = ui.json.plugins.find((p: { plugin: string }) => p.plugin === '${o.id}');
    const page = await mount(browser, origin, key.json.token, module, '${tag}', {});
    const el = page.locator('${tag}');
    await expect.poll(() => el.locator('[part=list]').textContent()).toContain('No items yet.');
    await el.getByLabel('Name').fill(' ');
    await el.getByRole('button', { name: 'Add item' }).click();
    await expect.poll(() => el.locator('.field-error, [role=alert]').count()).toBeGreaterThan(0);
    await el.getByLabel('Name').fill('First');
    await el.getByRole('button', { name: 'Add item' }).click();
    await expect.poll(() => el.locator('[part=list] tbody td').first().textContent()).toBe('First');
  });
});
`,
    'README.md': `# ${o.displayName}

A plugin for the ERP kernel (\`${o.packageName}\`, plugin id \`${o.id}\`).

- \`GET /api/v1/p/${o.id}/items\` (permission \`${perm('read')}\`) and \`POST /api/v1/p/${o.id}/items\`
  (\`${perm('write')}\`), publishing \`${o.id}.item.created\`.
- A subscription counts created items; a job runs nightly; the \`<${tag}>\` element (lit, in
  \`ui/src\`, built by \`erp-plugin build\` into \`ui/dist\`) lists items and adds one.

\`\`\`sh
npm run build     # erp-plugin build: checks the plugin and builds ui/dist with vite
npm test          # erp-plugin test: runs test/ against a real kernel with a test tenant
npm run pack      # erp-plugin pack: a tarball ready for the marketplace
\`\`\`
`,
    'CHANGELOG.md': `# Changelog\n\n## ${o.version}\n- First version.\n`,
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['src', 'test'],
    }),
    '.gitignore': 'node_modules/\n*.tgz\ndist/\n',
  };
}
