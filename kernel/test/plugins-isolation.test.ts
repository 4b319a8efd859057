// What Postgres and the host refuse to a plugin's SQL: kernel tables, another plugin's schema,
// another tenant's rows, and anything that would change the session's role or tenant. Also a
// failing migration (rolled back, install refused, nothing half-installed) and a plugin whose
// code throws at load (quarantined, the kernel and other plugins keep serving).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const PROBE = `
import { definePlugin, route } from '@erp/sdk';
export default definePlugin({
  routes: {
    'POST /sql': route({
      permission: 'probe.items.write',
      body: { type: 'object', additionalProperties: false, required: ['sql'],
              properties: { sql: { type: 'string' }, params: { type: 'array' } } } as const,
      async handler(ctx, { body }) {
        return { rows: await ctx.db.query(body.sql, (body.params ?? []) as never) };
      },
    }),
  },
});
`;

const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'probe', version: '1.0.0', files: { 'src/index.ts': PROBE } });
writePluginVersion(folder.root, { id: 'other', version: '1.0.0' });
writePluginVersion(folder.root, {
  id: 'badmig',
  version: '1.0.0',
  files: {
    'migrations/0002_broken.sql': 'create table half (tenant_id uuid);\nselect * from no_such_table;\n',
  },
});
writePluginVersion(folder.root, {
  id: 'norls',
  version: '1.0.0',
  files: { 'migrations/0002_open.sql': 'create table open_table (tenant_id uuid, secret text);\n' },
});
writePluginVersion(folder.root, {
  id: 'unguarded',
  version: '1.0.0',
  code: (src) => src.replace("permission: 'unguarded.items.write'", "permission: 'unguarded.items.delete'"),
});
writePluginVersion(folder.root, {
  id: 'crash',
  version: '1.0.0',
  files: { 'src/index.ts': "throw new Error('boom at load');\n" },
});

describe('plugin isolation', () => {
  let k: TestKernel;
  let a: TestTenant;
  let b: TestTenant;
  const call = (t: TestTenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    k.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });
  const sql = (t: TestTenant, text: string, params: unknown[] = []) =>
    call(t, 'POST', '/api/v1/p/probe/sql', { sql: text, params });

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root });
    a = await createTenant(k);
    b = await createTenant(k);
    for (const t of [a, b]) {
      for (const plugin of ['probe', 'other']) {
        const res = await call(t, 'POST', '/api/v1/plugins/installations', { plugin });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    await call(b, 'POST', '/api/v1/p/other/items', { name: 'B secret' });
    await sql(a, 'insert into items (tenant_id, name) values ($1, $2)', [a.tenantId, 'A probe item']);
    await sql(b, 'insert into items (tenant_id, name) values ($1, $2)', [b.tenantId, 'B probe item']);
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('cannot read kernel tables', async () => {
    for (const table of [
      'erp.users',
      'erp.sessions',
      'erp.api_keys',
      'erp.roles',
      'erp.plugin_installations',
      'erp.tenants',
    ]) {
      // Refused by the parser guard before Postgres sees it (a role without grants is the second wall).
      const res = await sql(a, `select * from ${table}`);
      expect(res.statusCode, table).toBe(500);
      expect(res.json().code).toBe('ERP_PLUGIN_SQL_REFUSED');
      expect(res.json().detail).toContain(`table ${table}`);
    }
  });

  it('cannot read another plugin\u2019s schema', async () => {
    const res = await sql(a, 'select * from p_other.items');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'ERP_PLUGIN_SQL_REFUSED' });
    expect(res.json().detail).toContain('Plugin probe');
  });

  it('sees only its own tenant\u2019s rows, even when asking for another tenant\u2019s', async () => {
    const own = await sql(a, 'select name from items');
    expect(own.json().rows).toEqual([{ name: 'A probe item' }]);
    const foreign = await sql(a, 'select name from items where tenant_id = $1', [b.tenantId]);
    expect(foreign.json().rows).toEqual([]);
    const write = await sql(a, 'insert into items (tenant_id, name) values ($1, $2)', [
      b.tenantId,
      'smuggled',
    ]);
    expect(write.statusCode).toBe(403);
    const { rows } = await k.superuser.query(
      "select count(*)::int as n from p_probe.items where name = 'smuggled'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses statements that change role, tenant or transaction', async () => {
    for (const text of [
      'reset role',
      'set role erp_app',
      "select set_config('erp.tenant_id', $1, true)",
      'commit',
      'select 1; select 2',
      '/* hidden */ SET LOCAL role postgres',
      'select pg_advisory_lock(1)',
      'do $$ begin perform 1; end $$',
    ]) {
      const res = await sql(a, text, text.includes('$1') ? [b.tenantId] : []);
      expect(res.statusCode, text).toBe(500);
      expect(res.json().code, text).toBe('ERP_PLUGIN_SQL_REFUSED');
    }
    // Keywords inside string literals are data, not statements.
    const ok = await sql(a, "select 'reset role; set_config' as text");
    expect(ok.json().rows).toEqual([{ text: 'reset role; set_config' }]);
  });

  it('rolls a failing migration back and installs nothing', async () => {
    const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'badmig' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ERP_PLUGIN_MIGRATION_FAILED' });
    expect(res.json().detail).toContain('0002_broken.sql');
    const { rows } = await k.superuser.query(
      "select count(*)::int as n from pg_tables where schemaname = 'p_badmig'",
    );
    expect(rows[0].n).toBe(0);
    const list = (await call(a, 'GET', '/api/v1/plugins')).json();
    expect(list.installed.map((i: { pluginId: string }) => i.pluginId)).not.toContain('badmig');
  });

  it('refuses a migration that leaves a table without tenant isolation', async () => {
    const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'norls' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('open_table is not tenant-isolated');
  });

  it('refuses a plugin whose route is guarded by a permission its manifest does not declare', async () => {
    const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'unguarded' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('unguarded.items.delete, which erp.permissions does not declare');
  });

  it('quarantines a plugin whose code throws at load and keeps serving the rest', async () => {
    const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'crash' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ERP_PLUGIN_LOAD_FAILED' });
    expect(res.json().detail).toContain('boom at load');
    expect((await call(a, 'GET', '/api/v1/p/other/items')).statusCode).toBe(200);
    expect((await k.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });
});
