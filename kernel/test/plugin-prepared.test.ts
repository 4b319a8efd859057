// Plugin SQL runs as prepared statements (issue 13), named after the schema's state: a statement
// is parsed once per connection, and a migration that changes what the same text returns gets new
// names instead of PostgreSQL's "cached plan must not change result type". A change made behind
// the kernel's back (another instance's migration) fails one request with a 503 to retry and the
// next ones prepare again. One connection in the pool, so every run meets the statements the
// previous ones prepared.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlugin } from '../src/plugins/loader.js';
import { runPluginSql } from '../src/plugins/runner/plugin-sql.js';
import { isStalePreparedStatement, TenantTx } from '../src/tenancy/index.js';
import { call } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const ROLE = 'erp_p_warehouses';
const SCHEMA = 'p_warehouses';
const TEXT = 'select * from prep_probe order by a';

let k: TestKernel;
let t: TestTenant;
let pool: pg.Pool;
let tx: TenantTx;

beforeAll(async () => {
  k = await startTestKernel();
  t = await createTenant(k);
  const installed = await call(k, 'POST', '/api/v1/plugins/installations', {
    auth: t.auth,
    body: { plugin: '@erp-plugin/warehouses' },
  });
  expect(installed.statusCode, installed.body).toBe(201);
  pool = new pg.Pool({ ...k.container.cradle.db.app.options, max: 1 });
  tx = new TenantTx(pool);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await k?.close();
});

/** A fresh table of the plugin's schema the plugin role may read (made by the superuser, as a migration would). */
async function probeTable(): Promise<void> {
  await k.superuser.query(`drop table if exists ${SCHEMA}.prep_probe;
    create table ${SCHEMA}.prep_probe (a int);
    insert into ${SCHEMA}.prep_probe values (1);
    grant select on ${SCHEMA}.prep_probe to ${ROLE}`);
}

const preparedCount = (text: string) =>
  tx.run(t.tenantId, async (sql) => {
    const [row] = await sql.query<{ n: number }>(
      'select count(*)::int as n from pg_prepared_statements where statement = $1',
      [text],
    );
    return row!.n;
  });

const run = (key: string | undefined) =>
  tx.run(t.tenantId, (sql) => sql.queryAs<Record<string, unknown>>(ROLE, SCHEMA, TEXT, [], key));

/** A loaded plugin as runPluginSql reads it: id, version and migrations name its schema's state. */
const plugin = (version: string) =>
  ({
    id: 'warehouses',
    version,
    migrations: [{ name: '0001', checksum: 'c', sql: '' }],
  }) as unknown as LoadedPlugin;

describe('prepared plugin statements', () => {
  it('a keyed statement is prepared once per connection; an unkeyed one is not prepared', async () => {
    await probeTable();
    const text = `${TEXT} -- unkeyed`;
    await tx.run(t.tenantId, (sql) => sql.queryAs(ROLE, SCHEMA, text));
    expect(await preparedCount(text)).toBe(0);
    expect(await run('once')).toEqual([{ a: 1 }]);
    expect(await run('once')).toEqual([{ a: 1 }]);
    expect(await preparedCount(TEXT)).toBe(1);
  });

  it('after a change of result type the same key is refused; a new key prepares again', async () => {
    await probeTable();
    expect(await run('before')).toEqual([{ a: 1 }]);
    await k.superuser.query(`alter table ${SCHEMA}.prep_probe add column b text default 'x'`);
    const err = await run('before').catch((e: unknown) => e);
    expect(isStalePreparedStatement(err), String(err)).toBe(true);
    expect(await run('after')).toEqual([{ a: 1, b: 'x' }]);
  });

  it('a new plugin version (its migrations) prepares under new names: no refusal', async () => {
    await probeTable();
    const v1 = await tx.run(t.tenantId, (sql) => runPluginSql(sql, plugin('1.0.0'), TEXT));
    expect(v1).toEqual([{ a: 1 }]);
    await k.superuser.query(`alter table ${SCHEMA}.prep_probe add column b text default 'x'`);
    const v2 = await tx.run(t.tenantId, (sql) => runPluginSql(sql, plugin('1.1.0'), TEXT));
    expect(v2).toEqual([{ a: 1, b: 'x' }]);
  });

  it('a change behind the kernel’s back fails one request with ERP_PLUGIN_SCHEMA_CHANGED, then works', async () => {
    await probeTable();
    const same = plugin('2.0.0');
    expect(await tx.run(t.tenantId, (sql) => runPluginSql(sql, same, TEXT))).toEqual([{ a: 1 }]);
    await k.superuser.query(`alter table ${SCHEMA}.prep_probe add column b text default 'x'`);
    const err = await tx.run(t.tenantId, (sql) => runPluginSql(sql, same, TEXT)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, code: 'ERP_PLUGIN_SCHEMA_CHANGED' });
    expect(await tx.run(t.tenantId, (sql) => runPluginSql(sql, same, TEXT))).toEqual([{ a: 1, b: 'x' }]);
  });
});
