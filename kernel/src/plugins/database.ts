// Each plugin gets a schema (p_<id>) owned by its migration role (erp_pm_<id>) and a run-time
// role (erp_p_<id>) with DML on that schema only. Migrations run as the migration role, in one
// transaction under a per-plugin advisory lock, so a failed migration leaves nothing behind and
// N instances never migrate twice. Afterwards every table must be tenant-isolated (forced RLS on
// tenant_id with USING and WITH CHECK) and no function may be SECURITY DEFINER, or the whole
// migration is rolled back.
import type pg from 'pg';
import { APP_GROUP_ROLE } from '../db/index.js';
import { LoadError, type LoadedPlugin } from './loader.js';

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

export class PluginDatabase {
  constructor(private readonly owner: pg.Pool) {}

  /** Applies this version's pending migrations; returns the names applied. */
  async migrate(plugin: LoadedPlugin): Promise<string[]> {
    await this.provision(plugin.id);
    const client = await this.owner.connect();
    const schema = pluginSchema(plugin.id);
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`erp-plugin-migrate:${plugin.id}`]);
      const { rows } = await client.query<{ name: string; checksum: string }>(
        'select name, checksum from erp.plugin_migrations where plugin_id = $1',
        [plugin.id],
      );
      const applied = new Map(rows.map((r) => [r.name, r.checksum]));
      const done: string[] = [];
      for (const m of plugin.migrations) {
        const previous = applied.get(m.name);
        if (previous !== undefined) {
          if (previous !== m.checksum) {
            throw new LoadError(
              plugin.name,
              `migration ${m.name} differs from the one already applied (migrations are immutable)`,
            );
          }
          continue;
        }
        await client.query(`set local role ${pluginMigrationRole(plugin.id)}`);
        await client.query(`set local search_path to ${schema}, pg_catalog`);
        try {
          await client.query(m.sql);
        } catch (err) {
          throw new LoadError(plugin.name, `migration ${m.name} failed: ${(err as Error).message}`);
        }
        await client.query('reset role');
        await client.query(
          'insert into erp.plugin_migrations (plugin_id, name, checksum, version) values ($1, $2, $3, $4)',
          [plugin.id, m.name, m.checksum, plugin.version],
        );
        done.push(m.name);
      }
      await this.verifyIsolation(client, plugin);
      await client.query('commit');
      return done;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
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
        if (!(await exists(mrole)))
          await client.query(`create role ${mrole} nologin nosuperuser nobypassrls`);
        if (!(await exists(role))) await client.query(`create role ${role} nologin nosuperuser nobypassrls`);
        await client.query(`
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

  private async verifyIsolation(client: pg.PoolClient, plugin: LoadedPlugin): Promise<void> {
    const schema = pluginSchema(plugin.id);
    const { rows } = await client.query<{
      table: string;
      has_tenant: boolean;
      rls: boolean;
      forced: boolean;
      good_policy: boolean;
    }>(
      `select c.relname as table,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant,
              c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polcmd = '*'
                        and p.polqual is not null and p.polwithcheck is not null) as good_policy
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p')`,
      [schema],
    );
    for (const t of rows) {
      if (!t.has_tenant || !t.rls || !t.forced || !t.good_policy) {
        throw new LoadError(
          plugin.name,
          `table ${schema}.${t.table} is not tenant-isolated: it needs a tenant_id column and "select erp.tenant_table('${t.table}')" in its migration`,
        );
      }
    }
    const definer = await client.query<{ proname: string }>(
      `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = $1 and (p.prosecdef or p.proconfig is not null)`,
      [schema],
    );
    if (definer.rowCount) {
      throw new LoadError(
        plugin.name,
        `function ${schema}.${definer.rows[0]!.proname} is SECURITY DEFINER or sets configuration`,
      );
    }
  }
}
