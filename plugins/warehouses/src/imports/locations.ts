// Imported warehouses and locations, row by row in file order (a row may name a warehouse or a
// parent an earlier row created). A row without a location code creates the warehouse itself.
// Ids come back prefixed (w: warehouse, l: location) so a rollback knows what to remove.
import type { PluginContext } from '@erp/sdk';
import type { Applied, BatchRow } from './types.js';

interface LocationData {
  warehouseCode: string;
  code?: string;
  name: string;
  kind?: 'location' | 'bin';
  parentCode?: string;
}

type Outcome = { id: string } | { field: string; message: string };

async function one(ctx: PluginContext, d: LocationData): Promise<Outcome> {
  if (!d.code) {
    const w = await ctx.db.one<{ id: string }>(
      'insert into warehouses (code, name) values ($1, $2) on conflict do nothing returning id',
      [d.warehouseCode, d.name],
    );
    return w ? { id: `w:${w.id}` } : { field: 'warehouseCode', message: `${d.warehouseCode} exists` };
  }
  const w = await ctx.db.one<{ id: string }>('select id from warehouses where lower(code) = lower($1)', [
    d.warehouseCode,
  ]);
  if (!w) return { field: 'warehouseCode', message: `no warehouse ${d.warehouseCode}` };
  let parentPath = '/';
  let parentCodes = '';
  let parentId: string | null = null;
  if (d.parentCode) {
    const p = await ctx.db.one<{ id: string; kind: string; path: string; codePath: string }>(
      `select id, kind, path, code_path as "codePath" from locations where warehouse_id = $1 and lower(code) = lower($2)`,
      [w.id, d.parentCode],
    );
    if (!p) return { field: 'parentCode', message: `no location ${d.parentCode} in ${d.warehouseCode}` };
    if (p.kind === 'bin') return { field: 'parentCode', message: `${d.parentCode} is a bin` };
    parentId = p.id;
    parentPath = p.path;
    parentCodes = `${p.codePath}/`;
  }
  const created = await ctx.db.one<{ id: string }>(
    `insert into locations (id, warehouse_id, parent_id, code, name, kind, path, code_path)
     select g.id, $1, $2, $3, $4, $5, $6 || g.id || '/', $7 || $3 from (select gen_random_uuid() as id) g
     on conflict do nothing returning id`,
    [w.id, parentId, d.code, d.name, d.kind ?? 'location', parentPath, parentCodes],
  );
  return created
    ? { id: `l:${created.id}` }
    : { field: 'code', message: `${d.code} exists in ${d.warehouseCode}` };
}

export async function importLocations(
  ctx: PluginContext,
  rows: BatchRow<LocationData>[],
  all: boolean,
): Promise<Applied> {
  const out: Applied = { applied: [], failed: [] };
  for (const r of rows) {
    const o = await one(ctx, r.data);
    if ('id' in o) out.applied.push({ row: r.row, id: o.id });
    else out.failed.push({ row: r.row, ...o });
  }
  if (all && out.failed.length && out.applied.length) {
    // All or nothing: undo this batch's rows (the transaction stays usable, nothing failed in SQL).
    await removeLocations(
      ctx,
      out.applied.map((a) => a.id),
    );
    out.applied = [];
  }
  return out;
}

export async function removeLocations(ctx: PluginContext, ids: string[]): Promise<void> {
  const locations = ids.filter((i) => i.startsWith('l:')).map((i) => i.slice(2));
  const warehouses = ids.filter((i) => i.startsWith('w:')).map((i) => i.slice(2));
  if (locations.length) await ctx.db.query('delete from locations where id = any($1::uuid[])', [locations]);
  if (warehouses.length)
    await ctx.db.query('delete from warehouses where id = any($1::uuid[])', [warehouses]);
}
