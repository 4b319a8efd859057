// Plugin versions that arrive while the kernel runs. Two kernel processes share one database (and
// one NATS when NATS_URL is set), both started with an empty catalogue folder outside the
// repository (no node_modules: the kernel provides @erp/sdk). A plugin is created there with the
// SDK's scaffold, installed on instance 1, written through instance 2; its event reaches its
// subscription and its per-second cron job runs once per period; a second version dropped in later
// is upgraded to and rolled back from; uninstalling stops its subscription and job on both. No
// restart anywhere. A third-party plugin is served from the sandbox, and a broken one is listed with its error,
// harms nobody, and loads once fixed on disk.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlugin } from '@erp/sdk/scaffold';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantWithAdmin } from '../src/iam/index.js';
import {
  dropNamespace,
  FAST_BUS,
  NATS_URL,
  natsNamespace,
  startKernelProcess,
  type WorkerProcess,
  waitFor,
} from './support/bus-env.js';
import { ADMIN_PASSWORD, createTestDatabase, dropTestDatabase, TEST_SECRET_KEY } from './support/harness.js';
import { withVersionRoute } from './support/plugins.js';

const modes = [
  { name: 'embedded bus', nats: false },
  { name: `JetStream${NATS_URL ? '' : ' (skipped: NATS_URL is not set)'}`, nats: true },
];

/** The scaffold's plugin, first-party, with a per-second cron job that records each run. */
function writeArrival(
  catalogue: string,
  version: string,
  trust: 'first-party' | 'third-party' = 'first-party',
) {
  const dir = join(catalogue, 'arrival', version);
  createPlugin(dir, {
    id: 'arrival',
    packageName: '@partner/arrival',
    displayName: 'Arrival',
    version,
    kernelRange: '^0.1.0',
    sdkRange: '^0.1.0',
    trust,
  });
  const src = join(dir, 'src/index.ts');
  const code = withVersionRoute(
    'arrival',
    version,
  )(readFileSync(src, 'utf8'))
    .replace("cron: '0 3 * * *'", "cron: '* * * * * *'")
    .replace(
      "ctx.log.info('items counted', { items: Number(row?.n ?? 0) });",
      "await ctx.db.query('insert into job_runs (tenant_id, items) values ($1, $2)', [ctx.tenant.id, Number(row?.n ?? 0)]);",
    );
  // A runtime dependency of the plugin's own, resolved from its folder (only @erp/sdk is provided).
  mkdirSync(join(dir, 'node_modules/arrival-helper'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules/arrival-helper/package.json'),
    JSON.stringify({ name: 'arrival-helper', version: '1.0.0', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(dir, 'node_modules/arrival-helper/index.js'),
    `export const tag = 'own dependency ${version}';\n`,
  );
  writeFileSync(
    src,
    `import { tag } from 'arrival-helper';\n${code.replace(
      '  routes: {\n',
      `  routes: {\n    'GET /tag': route({ permission: 'arrival.items.read', async handler() { return { tag }; } }),\n`,
    )}`,
  );
  writeFileSync(
    join(dir, 'migrations/0002_job_runs.sql'),
    `create table job_runs (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  items integer not null,
  primary key (tenant_id, id)
);
select erp.tenant_table('job_runs');
`,
  );
  return dir;
}

describe.each(modes)('a plugin arriving at run time on two instances, $name', ({ nats }) => {
  const namespace = natsNamespace();
  const catalogue = mkdtempSync(join(tmpdir(), 'erp-arrival-'));
  let databaseUrl = '';
  let superuser: pg.Pool | undefined;
  let instances: WorkerProcess[] = [];
  let urls: string[] = [];
  let auth = '';
  let tenantId = '';
  let adminId = '';

  const api = async (i: number, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${urls[i]}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  };
  const served = (i: number) =>
    instances[i]!.request<{ subscriptions: string[]; jobs: string[] }>({ cmd: 'served', plugin: 'arrival' });
  const listed = async (i: number, version: string) =>
    (await api(i, 'GET', '/api/v1/plugins')).json?.available?.some(
      (p: { id: string; versions: string[] }) => p.id === 'arrival' && p.versions.includes(version),
    );
  const jobRuns = async () =>
    (await superuser!.query('select count(*)::int as n from p_arrival.job_runs')).rows[0].n as number;

  beforeAll(async () => {
    if (nats && !NATS_URL) return;
    databaseUrl = await createTestDatabase();
    const env = {
      ...FAST_BUS,
      ...(nats ? { NATS_URL: NATS_URL!, ERP_NATS_NAMESPACE: namespace } : {}),
      DATABASE_URL: databaseUrl,
      ERP_PLUGIN_PATH: catalogue,
      ERP_SECRET_KEY: TEST_SECRET_KEY,
      ERP_RATE_LIMIT_USER: '1000000',
      ERP_RATE_LIMIT_TENANT: '1000000',
    };
    // One after the other: the first one migrates the new database.
    instances.push(await startKernelProcess({ ...env, ERP_TEST_INSTANCE: 'i1' }));
    instances.push(await startKernelProcess({ ...env, ERP_TEST_INSTANCE: 'i2' }));
    urls = await Promise.all(
      instances.map(async (w) => (await w.request<{ url: string }>({ cmd: 'ready' })).url),
    );
    superuser = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const slug = `arrival-${namespace}`;
    const created = await createTenantWithAdmin(superuser, {
      slug,
      name: 'Arrival',
      adminEmail: `admin@${slug}.test`,
      adminPassword: ADMIN_PASSWORD,
    });
    tenantId = created.tenantId;
    adminId = created.userId;
    const login = await fetch(`${urls[0]}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: slug, email: `admin@${slug}.test`, password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    auth = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
  });
  afterAll(async () => {
    await Promise.all(instances.map((w) => w.stop()));
    instances = [];
    await superuser?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (nats && NATS_URL) await dropNamespace(NATS_URL, namespace);
    rmSync(catalogue, { recursive: true, force: true });
  });

  it.skipIf(nats && !NATS_URL)(
    'installs, serves, upgrades, rolls back and removes it without a restart',
    async () => {
      expect(await listed(0, '1.0.0')).toBe(false);
      writeArrival(catalogue, '1.0.0');
      // Discovered by both instances' watchers, not by an install attempt.
      await waitFor(() => listed(0, '1.0.0'), 'instance 1 lists 1.0.0');
      await waitFor(() => listed(1, '1.0.0'), 'instance 2 lists 1.0.0');
      expect(await served(1)).toEqual({ subscriptions: [], jobs: [] });

      const installed = await api(0, 'POST', '/api/v1/plugins/installations', {
        plugin: 'arrival',
        version: '1.0.0',
      });
      expect(installed.status, installed.text).toBe(201);
      // Its route writes through instance 2; its event reaches its subscription.
      // Instance 2 follows the install within moments (its cached map is dropped by the signal).
      const tag = await waitFor(async () => {
        const r = await api(1, 'GET', '/api/v1/p/arrival/tag');
        return r.status === 404 ? undefined : r;
      }, 'instance 2 to follow the install');
      expect(tag.json).toEqual({ tag: 'own dependency 1.0.0' });
      const created = await api(1, 'POST', '/api/v1/p/arrival/items', { name: 'first' });
      expect(created.status, created.text).toBe(201);
      await waitFor(
        async () => (await api(0, 'GET', '/api/v1/p/arrival/items')).json?.count === 1,
        'the subscription to count the created item',
      );
      // The plugin's audit entry names the plugin, and the user who called its route behind it.
      const audited = await superuser!.query(
        `select actor_type, actor_id, actor_user_id from erp.audit_pending where action = 'arrival.item.created'
         union all
         select actor_type, actor_id, actor_user_id from erp.audit_entries where action = 'arrival.item.created'`,
      );
      expect(audited.rows).toEqual([{ actor_type: 'plugin', actor_id: 'arrival', actor_user_id: adminId }]);
      // Both instances serve its subscription and job; the cron job runs, once per period.
      for (const i of [0, 1])
        await waitFor(
          async () => (await served(i)).jobs.length === 1 && (await served(i)).subscriptions.length === 1,
          `instance ${i + 1} to serve the subscription and the job`,
        );
      await waitFor(async () => (await jobRuns()) >= 2, 'the cron job to run');
      const twice = await superuser!.query(
        `select period, count(*)::int as n from erp.jobs where plugin = 'arrival' and name = 'nightly-count'
          group by period having count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);

      // A second version dropped in later: upgrade on instance 1, instance 2 follows; then back.
      writeArrival(catalogue, '1.1.0');
      await waitFor(() => listed(1, '1.1.0'), 'instance 2 lists 1.1.0');
      await waitFor(() => listed(0, '1.1.0'), 'instance 1 lists 1.1.0');
      const upgraded = await api(0, 'POST', '/api/v1/plugins/installations/arrival/upgrade', {
        version: '1.1.0',
      });
      expect(upgraded.status, upgraded.text).toBe(200);
      await waitFor(
        async () => (await api(1, 'GET', '/api/v1/p/arrival/version')).json?.version === '1.1.0',
        'instance 2 to serve 1.1.0',
      );
      const rolledBack = await api(0, 'POST', '/api/v1/plugins/installations/arrival/rollback');
      expect(rolledBack.status, rolledBack.text).toBe(200);
      await waitFor(
        async () => (await api(1, 'GET', '/api/v1/p/arrival/version')).json?.version === '1.0.0',
        'instance 2 to serve 1.0.0 again',
      );
      expect((await api(1, 'POST', '/api/v1/p/arrival/items', { name: 'second' })).status).toBe(201);
      await waitFor(
        async () => (await api(1, 'GET', '/api/v1/p/arrival/items')).json?.count === 2,
        'the subscription to count the second item',
      );

      // Uninstall: both instances stop its subscription and job; no more runs are enqueued.
      const removed = await api(0, 'DELETE', '/api/v1/plugins/installations/arrival');
      expect(removed.status, removed.text).toBe(200);
      for (const i of [0, 1])
        await waitFor(
          async () => JSON.stringify(await served(i)) === JSON.stringify({ subscriptions: [], jobs: [] }),
          `instance ${i + 1} to stop the subscription and the job`,
        );
      expect(
        (
          await superuser!.query(
            `select count(*)::int as n from erp.event_subscribers where plugin = 'arrival'`,
          )
        ).rows[0].n,
      ).toBe(0);
      const enqueued = async () =>
        (await superuser!.query(`select count(*)::int as n from erp.jobs where plugin = 'arrival'`)).rows[0]
          .n;
      const before = await enqueued();
      // Three periods of the per-second schedule pass with nothing enqueued.
      await new Promise((r) => setTimeout(r, 3200));
      expect(await enqueued()).toBe(before);
      expect((await api(1, 'GET', '/api/v1/p/arrival/items')).status).toBe(404);

      // The usage counters name the versions that ran for this tenant.
      const usage = (await api(1, 'GET', '/api/v1/plugins/usage')).json.usage as Array<{
        version: string;
        invocations: number;
        dbStatements: number;
      }>;
      expect(usage.map((u) => u.version).sort()).toEqual(['1.0.0', '1.1.0']);
      // 1.1.0 only answered GET /version here (no SQL); 1.0.0 wrote items and counted them.
      expect(usage.every((u) => u.invocations > 0)).toBe(true);
      expect(usage.find((u) => u.version === '1.0.0')!.dbStatements).toBeGreaterThan(0);
      console.log(`arrival usage on instance 2: ${JSON.stringify(usage)}`);
    },
  );

  it.skipIf(nats && !NATS_URL)('installs a third-party plugin and serves it from the sandbox', async () => {
    const dir = join(catalogue, 'partner');
    createPlugin(dir, {
      id: 'partner',
      packageName: '@partner/partner',
      displayName: 'Partner',
      version: '0.1.0',
      kernelRange: '^0.1.0',
      sdkRange: '^0.1.0',
    });
    await waitFor(
      async () =>
        (await api(0, 'GET', '/api/v1/plugins')).json.available.some(
          (p: { id: string; trust: string }) => p.id === 'partner' && p.trust === 'third-party',
        ),
      'the third-party plugin to be listed',
    );
    const res = await api(0, 'POST', '/api/v1/plugins/installations', { plugin: 'partner' });
    expect(res.status, res.text).toBe(201);
    const items = await api(0, 'GET', '/api/v1/p/partner/items');
    expect(items.status, items.text).toBe(200);
    const usage = (await api(0, 'GET', '/api/v1/plugins/usage')).json.usage;
    expect(usage.find((u: { plugin: string }) => u.plugin === 'partner')?.runtime).toBe('sandbox');
    const rows = await superuser!.query(
      `select (select count(*)::int from erp.plugin_installations where plugin_id = 'partner') as installed,
              (select count(*)::int from erp.plugin_history where plugin_id = 'partner') as history,
              (select count(*)::int from pg_namespace where nspname = 'p_partner') as schemas`,
    );
    expect(rows.rows[0]).toEqual({ installed: 1, history: 1, schemas: 1 });
  });

  it.skipIf(nats && !NATS_URL)(
    'lists a broken plugin with its error, keeps serving, and loads it once fixed on disk',
    async () => {
      const dir = join(catalogue, 'broken');
      createPlugin(dir, {
        id: 'broken',
        packageName: '@partner/broken',
        displayName: 'Broken',
        version: '0.1.0',
        kernelRange: '^0.1.0',
        sdkRange: '^0.1.0',
        trust: 'first-party',
      });
      // The fault is in a module the entry imports: fixing that file alone must be enough.
      const src = join(dir, 'src/index.ts');
      writeFileSync(src, `import './boom.js';\n${readFileSync(src, 'utf8')}`);
      const boom = join(dir, 'src/boom.ts');
      writeFileSync(boom, "throw new Error('boom at load');\nexport {};\n");
      // A second folder whose manifest does not parse.
      mkdirSync(join(catalogue, 'garbled'));
      writeFileSync(join(catalogue, 'garbled', 'package.json'), '{"name": "garbled", "erp": {');
      const problems = async (i: number) =>
        (await api(i, 'GET', '/api/v1/plugins')).json.problems as Array<{ dir: string; error: string }>;
      for (const i of [0, 1]) {
        await waitFor(
          async () => (await problems(i)).some((p) => p.dir === dir && p.error.includes('boom at load')),
          `instance ${i + 1} to list the broken plugin with its error`,
        );
        await waitFor(
          async () => (await problems(i)).some((p) => p.dir.endsWith('garbled')),
          `instance ${i + 1} to list the garbled manifest`,
        );
      }
      const refused = await api(0, 'POST', '/api/v1/plugins/installations', { plugin: 'broken' });
      expect(refused.status, refused.text).toBe(422);
      expect(refused.json.code).toBe('ERP_PLUGIN_LOAD_FAILED');
      // Everything else keeps serving.
      expect((await api(1, 'GET', '/api/v1/plugins')).status).toBe(200);
      expect((await api(1, 'GET', '/api/v1/events/subscribers')).status).toBe(200);

      writeFileSync(boom, 'export {};\n');
      for (const i of [0, 1])
        await waitFor(
          async () => !(await problems(i)).some((p) => p.dir === dir),
          `instance ${i + 1} to load the fixed plugin`,
        );
      const installed = await api(1, 'POST', '/api/v1/plugins/installations', { plugin: 'broken' });
      expect(installed.status, installed.text).toBe(201);
      await waitFor(
        async () => (await api(0, 'GET', '/api/v1/p/broken/items')).status === 200,
        'instance 1 to follow the install made on instance 2',
      );
      expect((await api(0, 'POST', '/api/v1/p/broken/items', { name: 'fixed' })).status).toBe(201);
      const row = await superuser!.query(
        `select tenant_id from erp.plugin_installations where plugin_id = 'broken'`,
      );
      expect(row.rows).toEqual([{ tenant_id: tenantId }]);
    },
  );
});
