// Issue 9's bypass corpus and issue 20's climbs, written as the attacks: SQL a plugin handler sends
// through a real plugin route on real Postgres. Every attempt is refused (by the parser guard or by
// Postgres itself), the tenant and role of the unit of work never change, nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';
import { CORPUS, REFUSALS } from './support/sql-corpus.js';

// /sql runs what it is given; /sql-caught runs it, swallows the error and then writes a row (a
// refused statement must still roll the unit of work back); /whoami reports the unit of work's
// tenant and role.
const PROBE = `
import { definePlugin, route } from '@erp/sdk';
const body = { type: 'object', additionalProperties: false, required: ['sql'],
               properties: { sql: { type: 'string' }, params: { type: 'array' } } } as const;
export default definePlugin({
  routes: {
    'POST /sql': route({
      permission: 'probe.items.write',
      body,
      async handler(ctx, { body }) {
        return { rows: await ctx.db.query(body.sql, (body.params ?? []) as never) };
      },
    }),
    'POST /sql-caught': route({
      permission: 'probe.items.write',
      body,
      async handler(ctx, { body }) {
        try {
          await ctx.db.query(body.sql, (body.params ?? []) as never);
        } catch {}
        await ctx.db.query("insert into items (tenant_id, name) values (erp.current_tenant(), 'after-caught')");
        return { ok: true };
      },
    }),
    'GET /whoami': route({
      permission: 'probe.items.read',
      async handler(ctx) {
        return ctx.db.one("select erp.current_tenant()::text as tenant, current_user::text as role");
      },
    }),
  },
});
`;

const HIDDEN = `create table hidden (tenant_id uuid not null default erp.current_tenant(), note text);
select erp.tenant_table('hidden');
revoke select, insert, update, delete on hidden from erp_p_probe;
`;

const folder = pluginFolder();
writePluginVersion(folder.root, {
  id: 'probe',
  version: '1.0.0',
  files: { 'src/index.ts': PROBE, 'migrations/0002_hidden.sql': HIDDEN },
});
writePluginVersion(folder.root, { id: 'other', version: '1.0.0' });
writePluginVersion(folder.root, { id: 'loose', version: '1.0.0' });
writePluginVersion(folder.root, {
  id: 'climb-reset',
  version: '1.0.0',
  files: {
    'migrations/0002_climb.sql': 'set local role none;\ncreate table stolen as select * from erp.users;\n',
  },
});
writePluginVersion(folder.root, {
  id: 'climb-body',
  version: '1.0.0',
  files: {
    'migrations/0002_climb.sql': `create function up() returns void language plpgsql as $$
begin
  perform set_config('role', 'erp_kernel_app', false);
end $$;
`,
  },
});
writePluginVersion(folder.root, {
  id: 'climb-policy',
  version: '1.0.0',
  files: {
    'migrations/0002_climb.sql': `create table open_rows (tenant_id uuid not null, secret text);
select erp.tenant_table('open_rows');
create policy everyone on open_rows using (true) with check (true);
`,
  },
});

describe('plugin SQL bypass corpus (issue 9) and plugin role climbs (issue 20)', () => {
  let k: TestKernel;
  let a: TestTenant;
  let b: TestTenant;
  const call = (t: TestTenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    k.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });
  const attempt = (text: string, url = '/api/v1/p/probe/sql') => {
    // Every refusal counts toward the probe's circuit breaker (20 within a minute quarantine it,
    // rightly); the corpus is larger than that, so each attempt starts from a closed breaker.
    (k.container.cradle.pluginBreaker as unknown as { states: Map<string, unknown> }).states.clear();
    return call(a, 'POST', url, { sql: text, params: text.includes('$1') ? [b.tenantId] : [] });
  };
  /** Rows that any attempt could have changed, across every tenant. */
  const snapshot = async () => {
    const { rows } = await k.superuser.query(`
      select (select count(*) from p_probe.items)::int as probe,
             (select count(*) from p_probe.hidden)::int as hidden,
             (select count(*) from p_other.items)::int as other,
             (select count(*) from erp.users)::int as users,
             (select count(*) from erp.tenants)::int as tenants,
             (select count(*) from erp.event_outbox)::int as events,
             (select count(*) from erp.jobs)::int as jobs,
             (select string_agg(name, ',' order by name) from p_probe.items) as names,
             (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'p_probe')::int as relations`);
    return rows[0];
  };

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ERP_BACKGROUND: 'false' });
    a = await createTenant(k);
    b = await createTenant(k);
    for (const t of [a, b]) {
      for (const plugin of ['probe', 'other']) {
        const res = await call(t, 'POST', '/api/v1/plugins/installations', { plugin });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    await call(b, 'POST', '/api/v1/p/other/items', { name: 'B secret' });
    await call(a, 'POST', '/api/v1/p/probe/sql', {
      sql: 'insert into items (tenant_id, name) values (erp.current_tenant(), $1)',
      params: ['A item'],
    });
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it(`refuses every one of ${CORPUS.length} attempts; the tenant and role never change; nothing is written`, async () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    const before = await snapshot();
    const accepted: string[] = [];
    for (const [text, why] of CORPUS) {
      const res = await attempt(text);
      const code = res.json().code as string | undefined;
      if (![403, 500].includes(res.statusCode) || !REFUSALS.has(code ?? '')) {
        accepted.push(`${why}: ${text} -> ${res.statusCode} ${res.body}`);
        continue;
      }
      if (code !== 'ERP_TENANT_FORBIDDEN') expect(res.json().detail, text).toContain('Plugin probe');
      const who = await call(a, 'GET', '/api/v1/p/probe/whoami');
      expect(who.json(), text).toEqual({ tenant: a.tenantId, role: 'erp_p_probe' });
      expect(await snapshot(), text).toEqual(before);
    }
    expect(accepted).toEqual([]);
  });

  it('names the refused function or statement kind and the plugin', async () => {
    const fn = (await attempt(`select U&"\\0073et_config"('erp.tenant_id', $1, true)`)).json();
    expect(fn).toMatchObject({ status: 500, code: 'ERP_PLUGIN_SQL_REFUSED' });
    expect(fn.detail).toBe('Plugin probe sent SQL the kernel does not allow: function set_config.');
    const kind = (await attempt('set local role none')).json();
    expect(kind.detail).toContain('SET/RESET statements');
    const cast = (await attempt(`select 'x'::regproc`)).json();
    expect(cast.detail).toContain('cast to regproc');
  });

  it('answers a Postgres permission error as a problem naming the plugin, not ERP_INTERNAL', async () => {
    const res = await attempt('select * from hidden');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('ERP_PLUGIN_SQL_FORBIDDEN');
    expect(res.json().detail).toContain(
      'Plugin probe was refused by PostgreSQL: permission denied for table hidden',
    );
  });

  it('rolls back the unit of work even when the plugin catches the refusal and goes on writing', async () => {
    const before = await snapshot();
    for (const text of [`select set_config('erp.tenant_id', $1, true)`, 'select * from hidden']) {
      const res = await attempt(text, '/api/v1/p/probe/sql-caught');
      expect(res.statusCode, text).toBeGreaterThanOrEqual(403);
      expect(await snapshot(), text).toEqual(before);
    }
  });

  it('still runs ordinary plugin SQL (keywords inside literals are data)', async () => {
    const res = await attempt(
      "select 'reset role; set_config(' as text, coalesce(sum(1), 0)::int as n from items",
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([{ text: 'reset role; set_config(', n: 1 }]);
  });

  describe('Postgres refuses by itself (behind the parser)', () => {
    // These bypass the guard on purpose (TenantTx.queryAs directly): the second wall must hold.
    const asPlugin = (text: string) =>
      k.container.cradle.tenantTx.run(a.tenantId, (sql) => sql.queryAs('erp_p_probe', 'p_probe', text));

    it.each([
      ["select set_config('erp.tenant_id', '00000000-0000-0000-0000-000000000001', false)"],
      ["select set_config('role', 'erp_kernel_app', true)"],
      ["select pg_notify('erp_jobs', 'x')"],
      ['select pg_advisory_lock(42)'],
      ['select pg_try_advisory_xact_lock(42)'],
      ['select lo_creat(-1)'],
      ['select pg_sleep(0)'],
      ["select pg_read_file('/etc/passwd')"],
    ])('%s: permission denied for the plugin role', async (text) => {
      await expect(asPlugin(text)).rejects.toMatchObject({ code: '42501' });
    });

    it('keeps set_config and pg_notify for the kernel roles', async () => {
      const row = await k.container.cradle.tenantTx.run(a.tenantId, (sql) =>
        sql.one<{ t: string }>("select set_config('erp.probe', 'x', true) as t, pg_notify('erp_probe', '')"),
      );
      expect(row?.t).toBe('x');
    });
  });

  describe('climbs from migrations', () => {
    it.each([
      ['climb-reset', 'changes a setting or the role (SET/RESET)'],
      ['climb-body', 'defines a function whose body uses function set_config'],
      ['climb-policy', 'creates a policy'],
    ])('refuses to install %s (%s) and creates nothing', async (plugin, why) => {
      const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin });
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('ERP_PLUGIN_LOAD_FAILED');
      expect(res.json().detail).toContain(why);
      const schema = `p_${plugin.replace(/-/g, '_')}`;
      const { rows } = await k.superuser.query(
        'select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1',
        [schema],
      );
      expect(rows[0].n).toBe(0);
    });

    it('a migration login cannot reach the owner: RESET ROLE, SET ROLE NONE and set_config stay on the plugin role', async () => {
      const { loginUrl } = k.container.cradle.db;
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: loginUrl('erp_pm_probe') });
      await c.connect();
      try {
        await c.query('begin; set local role none');
        expect((await c.query('select current_user::text as u, session_user::text as s')).rows[0]).toEqual({
          u: 'erp_pm_probe',
          s: 'erp_pm_probe',
        });
        await c.query('reset role');
        expect((await c.query('select current_user::text as u')).rows[0].u).toBe('erp_pm_probe');
        await expect(c.query('set role postgres')).rejects.toMatchObject({ code: '42501' });
        await c.query('rollback; begin');
        await expect(c.query("select set_config('role', 'erp_kernel_app', true)")).rejects.toMatchObject({
          code: '42501',
        });
        await c.query('rollback');
        const su = (await c.query('select rolsuper from pg_roles where rolname = current_user')).rows[0];
        expect(su.rolsuper).toBe(false);
      } finally {
        await c.end();
      }
    });

    it('refuses a table with a loose extra policy (using (true)) next to the kernel one', async () => {
      // Someone slipped a permissive policy into the plugin's schema after its first install:
      // exactness of the isolation check (run on every install), not the linter, catches it.
      const first = await call(b, 'POST', '/api/v1/plugins/installations', { plugin: 'loose' });
      expect(first.statusCode, first.body).toBe(201);
      await k.superuser.query(`
        create table p_loose.leak (tenant_id uuid not null, secret text);
        alter table p_loose.leak enable row level security;
        alter table p_loose.leak force row level security;
        create policy tenant_isolation on p_loose.leak using (tenant_id = erp.current_tenant())
          with check (tenant_id = erp.current_tenant());
        create policy open_door on p_loose.leak using (true) with check (true);`);
      try {
        const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'loose' });
        expect(res.statusCode).toBe(422);
        expect(res.json().detail).toContain('leak is not tenant-isolated');
        const { rows } = await k.superuser.query(
          "select count(*)::int as n from erp.plugin_installations where plugin_id = 'loose' and tenant_id = $1",
          [a.tenantId],
        );
        expect(rows[0].n).toBe(0);
      } finally {
        await k.superuser.query('drop table p_loose.leak');
      }
    });

    it('refuses a loose policy whose expression only looks like the kernel one', async () => {
      await k.superuser.query(`
        create table p_loose.lookalike (tenant_id uuid not null);
        alter table p_loose.lookalike enable row level security;
        alter table p_loose.lookalike force row level security;
        create policy tenant_isolation on p_loose.lookalike
          using (tenant_id = erp.current_tenant() or true) with check (true);`);
      try {
        const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'loose' });
        expect(res.statusCode).toBe(422);
        expect(res.json().detail).toContain('lookalike is not tenant-isolated');
      } finally {
        await k.superuser.query('drop table p_loose.lookalike');
      }
    });
  });

  describe('pooled connections and the worker scope', () => {
    it('a connection whose session tenant was changed is destroyed, never reused', async () => {
      const { tenantTx } = k.container.cradle;
      // A kernel-role statement that would poison the session (is_local = false).
      const poisoned = await tenantTx.run(a.tenantId, async (sql) => {
        await sql.query("select set_config('erp.tenant_id', $1, false)", [b.tenantId]);
        return (await sql.one<{ pid: number }>('select pg_backend_pid() as pid'))!.pid;
      });
      for (let i = 0; i < 5; i++) {
        const row = await tenantTx.run(a.tenantId, (sql) =>
          sql.one<{ pid: number; t: string }>(
            'select pg_backend_pid() as pid, erp.current_tenant()::text as t',
          ),
        );
        expect(row?.pid).not.toBe(poisoned);
        expect(row?.t).toBe(a.tenantId);
      }
    });

    it('an app session that sets erp.scope = worker sees no other tenant’s queue rows', async () => {
      await k.container.cradle.tenantTx.run(b.tenantId, (sql) =>
        sql.query(
          "insert into erp.jobs (tenant_id, plugin, name, max_attempts) values ($1, 'probe', 'x', 1)",
          [b.tenantId],
        ),
      );
      const client = await k.container.cradle.db.app.connect();
      try {
        await client.query("begin; select set_config('erp.scope', 'worker', true)");
        const { rows } = await client.query('select count(*)::int as n from erp.jobs');
        expect(rows[0].n).toBe(0);
        await client.query('rollback');
      } finally {
        client.release(true);
      }
      const worker = await k.container.cradle.workerTx.run((sql) =>
        sql.one<{ n: number; u: string }>('select count(*)::int as n, current_user::text as u from erp.jobs'),
      );
      expect(worker).toEqual({ n: 1, u: 'erp_kernel_worker' });
    });
  });
});
