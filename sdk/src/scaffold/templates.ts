// The files `erp-plugin create` writes: a small but complete plugin (a route with schemas, a
// migration, an event it publishes and a subscription to it, a scheduled job, a web component,
// tests and docs) that passes its own tests as generated.
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
      files: ['src', 'migrations', 'ui', 'README.md', 'CHANGELOG.md'],
      scripts: { test: 'erp-plugin test', build: 'erp-plugin build', pack: 'erp-plugin pack' },
      dependencies: { '@erp/sdk': o.sdkRange },
      devDependencies: {
        '@erp/plugin-testkit': o.sdkRange,
        '@types/node': '^20.19.0',
        typescript: '5.9.3',
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
          module: `ui/${tag}.js`,
          assets: 'ui',
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
    [`ui/${tag}.js`]: `// <${tag}>: lists the tenant's items. The shell sets the \`api\` property to a fetch function
// that adds the user's credentials; the element never sees a token.
class Items extends HTMLElement {
  set api(fetcher) {
    this._api = fetcher;
    this.load();
  }
  connectedCallback() {
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.innerHTML = '<h2>${o.displayName}</h2><ul part="list"></ul>';
    if (this._api) this.load();
  }
  async load() {
    if (!this.shadowRoot || !this._api) return;
    const res = await this._api('/api/v1/p/${o.id}/items');
    const { items } = await res.json();
    const list = this.shadowRoot.querySelector('ul');
    list.replaceChildren(...items.map((i) => Object.assign(document.createElement('li'), { textContent: i.name })));
  }
}
customElements.define('${tag}', Items);
`,
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
    'README.md': `# ${o.displayName}

A plugin for the ERP kernel (\`${o.packageName}\`, plugin id \`${o.id}\`).

- \`GET /api/v1/p/${o.id}/items\` (permission \`${perm('read')}\`) and \`POST /api/v1/p/${o.id}/items\`
  (\`${perm('write')}\`), publishing \`${o.id}.item.created\`.
- A subscription counts created items; a job runs nightly; the \`<${tag}>\` element lists items.

\`\`\`sh
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
