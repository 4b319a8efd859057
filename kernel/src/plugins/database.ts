// Each plugin gets a schema (p_<id>) owned by its migration role (erp_pm_<id>) and a run-time
// role (erp_p_<id>) with DML on that schema only. Migrations run on a connection that LOGS IN as
// the migration role (password derived from the master secret), so nothing in a migration
// (RESET ROLE, SET ROLE NONE, set_config('role', …)) can reach the owner or a superuser: the
// session user is the migration role itself. All of a version's pending migrations run in one
// transaction of that connection, while the owner's connection holds a per-plugin advisory lock,
// so a failed migration leaves nothing behind and N instances never migrate twice. Afterwards
// every table must carry exactly the kernel's isolation policy (forced RLS, the policy
// erp.tenant_table() creates and no other permissive one), no function may be SECURITY DEFINER,
// set configuration or share a name with a pg_catalog function, or the whole migration is
// rolled back.
import pg from 'pg';
import { APP_GROUP_ROLE, ensureLoginRole } from '../db/index.js';
import { LoadError, type LoadedPlugin } from './loader.js';
import { migrationProblem } from './sql/index.js';

// Plugin ids use dashes (lots-serials); SQL names use underscores, which ids never contain.
const sqlName = (id: string) => id.replace(/-/g, '_');
export const pluginSchema = (id: string) => `p_${sqlName(id)}`;
export const pluginRole = (id: string) => `erp_p_${sqlName(id)}`;
export const pluginMigrationRole = (id: string) => `erp_pm_${sqlName(id)}`;

const RACE_CODES = new Set(['42710', '23505', 'XX000', '40001', '42P06']);

/** A tenant's row count in one of a plugin's tables (uninstall preview and purge report). */
export interface TableImpact {
  table: string;
  rows: number;
}

/** How the plugin migration roles log in (the kernel's Database provides it). */
export interface PluginLogins {
  loginUrl(role: string): string;
  loginPassword(role: string): string;
}

export class PluginDatabase {
  constructor(
    private readonly owner: pg.Pool,
    private readonly logins: PluginLogins,
  ) {}

  /** Applies this version's pending migrations; returns the names applied. */
  async migrate(plugin: LoadedPlugin): Promise<string[]> {
    await this.provision(plugin.id);
    const lock = await this.owner.connect();
    const onLockError = () => {}; // a lost connection fails the query in flight
    lock.on('error', onLockError);
    const mrole = pluginMigrationRole(plugin.id);
    const migrator = new pg.Client({
      connectionString: this.logins.loginUrl(mrole),
      application_name: `erp-plugin-migrate:${plugin.id}`,
    });
    migrator.on('error', () => {}); // a lost connection fails the query in flight
    let connected = false;
    try {
      await lock.query('begin');
      await lock.query('select pg_advisory_xact_lock(hashtext($1))', [`erp-plugin-migrate:${plugin.id}`]);
      const { rows } = await lock.query<{ name: string; checksum: string }>(
        'select name, checksum from erp.plugin_migrations where plugin_id = $1',
        [plugin.id],
      );
      const applied = new Map(rows.map((r) => [r.name, r.checksum]));
      const pending = plugin.migrations.filter((m) => {
        const previous = applied.get(m.name);
        if (previous !== undefined && previous !== m.checksum) {
          throw new LoadError(
            plugin.name,
            `migration ${m.name} differs from the one already applied (migrations are immutable)`,
          );
        }
        return previous === undefined;
      });
      await migrator.connect();
      connected = true;
      await migrator.query(`begin; set local search_path to ${pluginSchema(plugin.id)}, pg_catalog`);
      for (const m of pending) {
        // Linted at load without the plugin's id; again here with it (own schema, own role only).
        const problem = migrationProblem(m.sql, plugin.id);
        if (problem) throw new LoadError(plugin.name, `migration ${m.name} ${problem}`);
        try {
          await migrator.query(m.sql);
        } catch (err) {
          throw new LoadError(plugin.name, `migration ${m.name} failed: ${(err as Error).message}`);
        }
        await migrator.query('select erp.record_plugin_migration($1, $2, $3)', [
          m.name,
          m.checksum,
          plugin.version,
        ]);
      }
      await this.verifyIsolation(migrator, plugin);
      await migrator.query('commit');
      await lock.query('commit');
      return pending.map((m) => m.name);
    } catch (err) {
      if (connected) await migrator.query('rollback').catch(() => {});
      await lock.query('rollback').catch(() => {});
      throw err;
    } finally {
      lock.off('error', onLockError);
      lock.release();
      await migrator.end().catch(() => {});
    }
  }

  /** Roles and schema, created once per plugin (idempotent, safe against concurrent instances). */
  private async provision(id: string): Promise<void> {
    const schema = pluginSchema(id);
    const role = pluginRole(id);
    const mrole = pluginMigrationRole(id);
    for (let attempt = 1; ; attempt++) {
      const client = await this.owner.connect();
      try {
        await client.query('begin');
        await client.query('select pg_advisory_xact_lock(hashtext($1))', ['erp-plugin-roles']);
        const exists = async (r: string) =>
          (await client.query('select 1 from pg_roles where rolname = $1', [r])).rowCount === 1;
        // The migration role logs in (its own connection runs the migrations); the run-time role
        // never does: the app login reaches it by SET LOCAL ROLE inside a unit of work.
        await ensureLoginRole(client, mrole, this.logins.loginPassword(mrole), { inherit: false });
        if (!(await exists(role))) await client.query(`create role ${role} nologin nosuperuser nobypassrls`);
        await client.query(`
          grant execute on function erp.record_plugin_migration(text, text, text) to ${mrole};
          grant ${mrole} to current_user;
          grant ${role} to ${APP_GROUP_ROLE};
          create schema if not exists ${schema} authorization ${mrole};
          revoke all on schema ${schema} from public;
          grant usage on schema ${schema} to ${role};
          grant usage on schema erp to ${role}, ${mrole};
          grant execute on function erp.current_tenant() to ${role}, ${mrole};
          grant execute on function erp.tenant_table(regclass) to ${mrole};
          alter default privileges for role ${mrole} in schema ${schema}
            grant select, insert, update, delete on tables to ${role};
          alter default privileges for role ${mrole} in schema ${schema}
            grant usage, select on sequences to ${role};
        `);
        await client.query('commit');
        return;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        if (attempt >= 5 || !RACE_CODES.has((err as { code?: string }).code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      } finally {
        client.release();
      }
    }
  }

  private async verifyIsolation(client: pg.ClientBase, plugin: LoadedPlugin): Promise<void> {
    const schema = pluginSchema(plugin.id);
    // The kernel's own policy on a kernel table is the reference: erp.tenant_table() creates the
    // same USING and WITH CHECK, so their deparsed texts must match exactly.
    const { rows } = await client.query<{
      table: string;
      has_tenant: boolean;
      rls: boolean;
      forced: boolean;
      exact: boolean;
      permissive: number;
    }>(
      `with ref as (
         select pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check
           from pg_policy p where p.polrelid = 'erp.plugin_installations'::regclass and p.polname = 'tenant_isolation')
       select c.relname as table,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant,
              c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              exists (select 1 from pg_policy p, ref
                       where p.polrelid = c.oid and p.polname = 'tenant_isolation' and p.polcmd = '*'
                         and p.polpermissive and p.polroles = '{0}'
                         and pg_get_expr(p.polqual, p.polrelid) = ref.using
                         and pg_get_expr(p.polwithcheck, p.polrelid) = ref.check) as exact,
              (select count(*)::int from pg_policy p where p.polrelid = c.oid and p.polpermissive) as permissive
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p')`,
      [schema],
    );
    for (const t of rows) {
      if (!t.has_tenant || !t.rls || !t.forced || !t.exact || t.permissive !== 1) {
        throw new LoadError(
          plugin.name,
          `table ${schema}.${t.table} is not tenant-isolated: it needs a tenant_id column and "select erp.tenant_table('${t.table}')" in its migration, and no policy of its own`,
        );
      }
    }
    const definer = await client.query<{ proname: string; why: string }>(
      `select p.proname,
              case when p.prosecdef then 'is SECURITY DEFINER'
                   when p.proconfig is not null then 'sets configuration'
                   else 'has the name of a pg_catalog function' end as why
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = $1
          and (p.prosecdef or p.proconfig is not null
               or exists (select 1 from pg_proc b where b.pronamespace = 'pg_catalog'::regnamespace
                                                   and b.proname = p.proname))`,
      [schema],
    );
    if (definer.rowCount) {
      const f = definer.rows[0]!;
      throw new LoadError(plugin.name, `function ${schema}.${f.proname} ${f.why}`);
    }
  }
}
