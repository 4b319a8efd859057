// Rolling an import back: its records go only if nothing refers to them yet (a move, a transfer,
// a count, a reorder point, a location outside the import); otherwise nothing is removed and the
// importer is told which records are in use.
import type { PluginContext } from '@erp/sdk';
import { removeLocations } from './locations.js';

export async function rollbackImport(
  ctx: PluginContext,
  target: string,
  ids: string[],
): Promise<{ removed: number; blocked: { id: string; reason: string }[] }> {
  if (target === 'warehouses.opening-stock') {
    // Posted stock is never removed (the ledger is immutable): an adjustment corrects it.
    return {
      removed: 0,
      blocked: [...new Set(ids)].map((id) => ({
        id,
        reason: 'posted receipt: correct it with an adjustment',
      })),
    };
  }
  if (target === 'warehouses.items') {
    const used = await ctx.db.query<{ id: string }>(
      `select i.id from items i where i.id = any($1::uuid[]) and (
         exists (select 1 from moves m where m.item_id = i.id) or
         exists (select 1 from transfer_lines t where t.item_id = i.id) or
         exists (select 1 from count_lines c where c.item_id = i.id) or
         exists (select 1 from reorder_points r where r.item_id = i.id))`,
      [ids],
    );
    if (used.length) return { removed: 0, blocked: used.map((u) => ({ id: u.id, reason: 'item in use' })) };
    const gone = await ctx.db.query('delete from items where id = any($1::uuid[]) returning id', [ids]);
    return { removed: gone.length, blocked: [] };
  }
  const locations = ids.filter((i) => i.startsWith('l:')).map((i) => i.slice(2));
  const warehouses = ids.filter((i) => i.startsWith('w:')).map((i) => i.slice(2));
  const used = await ctx.db.query<{ id: string; reason: string }>(
    `select 'l:' || l.id as id, 'location in use' as reason from locations l where l.id = any($1::uuid[]) and (
        exists (select 1 from moves m where m.location_id = l.id) or
        exists (select 1 from transfers t where l.id in (t.from_location_id, t.to_location_id)) or
        exists (select 1 from counts c where c.location_id = l.id) or
        exists (select 1 from locations k where k.parent_id = l.id and not k.id = any($1::uuid[])))
     union all
     select 'w:' || w.id, 'warehouse in use' from warehouses w where w.id = any($2::uuid[]) and (
        exists (select 1 from locations k where k.warehouse_id = w.id and not k.id = any($1::uuid[])) or
        exists (select 1 from reorder_points r where r.warehouse_id = w.id))`,
    [locations, warehouses],
  );
  if (used.length) return { removed: 0, blocked: used };
  await removeLocations(ctx, ids);
  return { removed: ids.length, blocked: [] };
}
