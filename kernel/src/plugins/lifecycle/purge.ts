// What uninstalling removes: the tenant's rows in each of the plugin's tables (only the tenant's:
// the plugin's role runs under forced row-level security), children before parents.
import { Problem } from '../../http/index.js';
import type { Sql } from '../../tenancy/index.js';
import { pluginRole, pluginSchema, type TableImpact } from '../database.js';

async function tables(sql: Sql, id: string): Promise<string[]> {
  const rows = await sql.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p') order by c.relname`,
    [pluginSchema(id)],
  );
  return rows.map((r) => r.relname);
}

/** The tenant's rows in each table of the plugin. */
export async function countRows(sql: Sql, id: string): Promise<TableImpact[]> {
  const out: TableImpact[] = [];
  for (const t of await tables(sql, id)) {
    const [row] = await sql.queryAs<{ n: string }>(
      pluginRole(id),
      pluginSchema(id),
      `select count(*) as n from "${t}"`,
    );
    out.push({ table: t, rows: Number(row!.n) });
  }
  return out;
}

/** Deletes the tenant's rows; a table blocked by a foreign key is retried after the others. */
export async function purgeRows(sql: Sql, id: string, impact: TableImpact[]): Promise<TableImpact[]> {
  const purged: TableImpact[] = [];
  const pending = impact.filter((t) => t.rows > 0).map((t) => t.table);
  for (let pass = 0; pending.length && pass <= impact.length; pass++) {
    for (const t of [...pending]) {
      await sql.query('savepoint purge_table');
      try {
        const rows = await sql.queryAs(pluginRole(id), pluginSchema(id), `delete from "${t}" returning 1`);
        await sql.query('release savepoint purge_table');
        purged.push({ table: t, rows: rows.length });
        pending.splice(pending.indexOf(t), 1);
      } catch {
        await sql.query('rollback to savepoint purge_table');
      }
    }
  }
  if (pending.length)
    throw new Problem(409, 'ERP_PLUGIN_PURGE_BLOCKED', 'Could not purge', {
      detail: `Rows in ${pending.join(', ')} are still referenced.`,
    });
  return purged.sort((a, b) => a.table.localeCompare(b.table));
}
