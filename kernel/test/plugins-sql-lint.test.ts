// The plugin migration linter and the handler guard on Postgres's parse tree, without a database:
// the first-party plugins' migrations pass; every additive-only rule refuses what it names,
// including inside the bodies of functions a migration creates.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { guardPluginSql, loadSqlParser, migrationProblem } from '../src/plugins/sql/index.js';

const PLUGINS = fileURLToPath(new URL('../../plugins', import.meta.url));

function firstPartyMigrations(): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const plugin of readdirSync(PLUGINS, { withFileTypes: true })) {
    if (!plugin.isDirectory()) continue;
    const dir = join(PLUGINS, plugin.name, 'migrations');
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
    } catch {
      continue;
    }
    for (const f of files) out.push([plugin.name, f, readFileSync(join(dir, f), 'utf8')]);
  }
  return out;
}

beforeAll(async () => {
  await loadSqlParser();
});

describe('migration linter', () => {
  const migrations = firstPartyMigrations();

  it('finds the first-party migrations', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(5);
  });

  it.each(migrations)('%s/%s passes (with and without the plugin id)', (plugin, _file, sql) => {
    expect(migrationProblem(sql)).toBeNull();
    expect(migrationProblem(sql, plugin)).toBeNull();
  });

  const table = `create table t (tenant_id uuid not null, id int);\nselect erp.tenant_table('t');\n`;

  it('accepts additive changes', () => {
    for (const sql of [
      table,
      'alter table t add column note text',
      'alter table t add column n int not null default 0, add constraint n_pos check (n >= 0)',
      'alter table t alter column note set default $$x$$',
      'alter table t alter column note drop not null',
      'create index t_id on t (tenant_id, id)',
      'create view v as select id from t',
      "create type kind as enum ('a', 'b')",
      "alter type kind add value 'c'",
      'create sequence s',
      'update t set id = 1 where id is null',
      'revoke update, delete on t from erp_p_demo',
      `create function f(x int) returns int language sql immutable as $$ select x + 1 $$`,
      `create function g() returns trigger language plpgsql as $$
       begin
         if tg_op = 'DELETE' then raise exception 'append-only' using errcode = 'insufficient_privilege'; end if;
         new.id := coalesce(new.id, 0) + 1;
         return new;
       end $$`,
    ]) {
      expect(migrationProblem(sql, 'demo'), sql).toBeNull();
    }
  });

  it.each([
    ['drop table t', 'drops an object'],
    ['drop index t_id', 'drops an object'],
    ['alter table t rename to u', 'renames an object'],
    ['alter table t rename column id to key', 'renames an object'],
    ['truncate t', 'deletes data (TRUNCATE)'],
    ['delete from t', 'deletes data (DELETE)'],
    ['alter table t alter column id type bigint', 'changes a column type'],
    ['alter table t drop column id', 'drops a column'],
    ['alter table t add column must int not null', 'adds NOT NULL column must without a default'],
    ['alter table t disable row level security', 'disables row-level security'],
    ['alter table t no force row level security', 'stops forcing row-level security'],
    ['alter table t owner to postgres', 'changes an owner'],
    ['set local role none', 'changes a setting or the role'],
    ['reset role', 'changes a setting or the role'],
    ["set erp.tenant_id = 'x'", 'changes a setting or the role'],
    ["select set_config('role', 'postgres', false)", 'uses function set_config'],
    ["select pg_catalog.set_config('role', 'postgres', false)", 'uses function pg_catalog.set_config'],
    ['create function f() returns int language sql security definer as $$ select 1 $$', 'SECURITY DEFINER'],
    ['create function f() returns int language sql set search_path = erp as $$ select 1 $$', 'SET clause'],
    ['create function f() returns int language c as $$x$$', 'language c'],
    [
      "create function f() returns text language sql as $$ select set_config('role', 'none', false) $$",
      'body uses function set_config',
    ],
    [
      "create function f() returns void language sql begin atomic select set_config('role', 'none', false); end",
      'body uses function set_config',
    ],
    [
      "create function f() returns void language plpgsql as $$ begin perform set_config('role', 'none', false); end $$",
      'body uses function set_config',
    ],
    [
      "create function f() returns void language plpgsql as $$ declare x text; begin x := set_config('role', 'none', false); end $$",
      'body uses function set_config',
    ],
    [
      'create function f() returns void language plpgsql as $$ begin set role none; end $$',
      'body uses SET/RESET statements',
    ],
    [
      'create function f() returns void language plpgsql as $$ begin reset role; end $$',
      'body uses SET/RESET statements',
    ],
    [
      "create function f() returns void language plpgsql as $$ begin execute 'set role none'; end $$",
      'dynamic EXECUTE',
    ],
    [
      "create function f() returns setof int language plpgsql as $$ begin return query execute 'select 1'; end $$",
      'dynamic EXECUTE',
    ],
    [
      'create function f() returns void language plpgsql as $$ begin perform pg_advisory_lock(1); end $$',
      'body uses function pg_advisory_lock',
    ],
    [
      'create function f() returns int language sql as $$ select count(*)::int from erp.users $$',
      'body uses table erp.users',
    ],
    ['create operator === (leftarg = int, rightarg = int, function = int4eq)', 'defines an operator'],
    ['create cast (text as int) with inout', 'creates a cast'],
    ['create extension dblink', 'creates an extension'],
    // CREATE LANGUAGE is parsed as CREATE EXTENSION since PostgreSQL 13.
    ['create language plperlu', 'creates an extension'],
    ['create event trigger e on ddl_command_start execute function f()', 'creates an event trigger'],
    ['do $$ begin perform 1; end $$', 'DO block'],
    ['grant select on t to public', 'PUBLIC'],
    ['grant select on t to erp_kernel_app', 'erp_kernel_app'],
    ['grant select on t to erp_p_other', 'erp_p_other'],
    ['revoke select on t from erp_kernel_worker', 'erp_kernel_worker'],
    ['grant erp_kernel_app to erp_pm_demo', 'grants a role'],
    ['create policy open on t using (true)', 'creates a policy'],
    ['create table u (tenant_id uuid references erp.tenants(id))', 'table erp.tenants'],
    ['insert into erp.plugin_migrations values (1)', 'table erp.plugin_migrations'],
    ['create table p_other.x (tenant_id uuid)', 'table p_other.x'],
    ["select 'set_config'::regproc", 'cast to regproc'],
    ['copy t from stdin', 'COPY'],
    ['create schema evil', 'CREATE SCHEMA'],
    ['create role evil', 'CREATE ROLE'],
  ])('refuses %s', (sql, why) => {
    const problem = migrationProblem(sql, 'demo');
    expect(problem).not.toBeNull();
    expect(problem).toContain(why);
  });

  it('refuses unparseable SQL with the parser\u2019s message', () => {
    expect(migrationProblem('create tabel t ()')).toMatch(/does not parse \(syntax error/);
  });
});

describe('handler guard', () => {
  const refused = (sql: string) => {
    try {
      guardPluginSql('demo', sql, new Set(['iso']));
      return null;
    } catch (err) {
      return (err as { code?: string; options?: { detail?: string } }).options?.detail ?? String(err);
    }
  };

  it('allows the SQL real plugins send', () => {
    for (const sql of [
      'select id, iso(created_at) as at, trim_scale(qty)::text as qty from moves where id = $1',
      'insert into items (tenant_id, name) values (erp.current_tenant(), $1) on conflict do nothing returning id',
      'update balances set qty = qty + $1 where item_id = $2 returning qty',
      'delete from reorder_points where id = $1',
      'with m as (insert into moves (kind) values ($1) returning id) select id from m',
      "select jsonb_build_object('a', 1), coalesce(sum(x), 0), count(*), now(), gen_random_uuid() from t",
      'select * from jsonb_to_recordset($1::jsonb) as r(id uuid, qty numeric)',
      "select date_trunc('day', now() at time zone 'UTC'), extract(epoch from now())",
      'select * from p_demo.items',
      'values (1), (2)',
    ]) {
      expect(refused(sql), sql).toBeNull();
    }
  });

  it.each([
    ['select iso2(now())', 'function iso2'],
    ['select p_other.iso(now())', 'function p_other.iso'],
    ['select erp.tenant_table($1)', 'function erp.tenant_table'],
    ['select 1 operator(erp.+) 1', 'operator erp.+'],
    ["select 'x'::erp.kind", 'type erp.kind'],
    ['select * from pg_settings', 'catalog table pg_settings'],
    ['select * from other_db.public.t', 'table other_db.public.t'],
    ['', 'an empty statement'],
    ['selec 1', 'a syntax error'],
  ])('refuses %s', (sql, why) => {
    expect(refused(sql)).toContain(why);
  });

  it('throws a clear error when the parser was never loaded', async () => {
    // A fresh module instance has not loaded the parser.
    vi.resetModules();
    const fresh = await import('../src/plugins/sql/parser.js');
    expect(() => fresh.parseStatements('select 1')).toThrow(/await loadSqlParser\(\) at kernel start/);
  });
});
