// Uninstall: removes the plugin from the tenant. Data stays unless `purge` is asked for
// explicitly; then the tenant's rows are deleted in the same unit of work. When no tenant runs the
// plugin any more, every instance stops its subscriptions and jobs (see bindings.ts).
import { notFound } from '../../http/index.js';
import type { Sql } from '../../tenancy/index.js';
import type { TableImpact } from '../database.js';
import { checkDependents } from '../resolution.js';
import { existing, packageOf } from './common.js';
import { countRows, purgeRows } from './purge.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, StepContext } from './types.js';

/** What uninstalling with purge would remove: the tenant's rows in each of the plugin's tables. */
export async function impact(
  d: LifecycleDeps,
  sql: Sql,
  id: string,
): Promise<{ plugin: string; version: string; tables: TableImpact[] }> {
  const current = await d.installations.get(sql, id);
  if (!current) throw notFound('Plugin installation');
  return { plugin: id, version: current.version, tables: await countRows(sql, id) };
}

export async function uninstall(
  d: LifecycleDeps,
  step: StepContext,
  id: string,
  purge: boolean,
): Promise<{ purged: TableImpact[]; kept: TableImpact[] }> {
  const { sql } = step;
  const current = await existing(d, sql, id);
  checkDependents(current.package, null, await d.installations.list(sql), packageOf(d));
  const rows = await countRows(sql, id);
  const purged = purge ? await purgeRows(sql, id, rows) : [];
  await sql.query('delete from erp.plugin_installations where tenant_id = $1 and plugin_id = $2', [
    sql.tenantId,
    id,
  ]);
  await recordStep(d, step, id, 'uninstall', current.version, null, {
    purge,
    rows: rows.reduce((n, t) => n + t.rows, 0),
    source: current.source,
    integrity: current.integrity,
    keyid: current.keyid,
    consent: current.consentHash,
  });
  return { purged, kept: purge ? [] : rows };
}
