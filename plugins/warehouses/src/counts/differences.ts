// What posting a count changes: for each counted line, the difference between what was counted
// and on-hand at this moment, with the balance row (or the serials) locked so nothing moves in
// between. Serial items differ by serial number: those expected but not found go out, those found
// but not expected come in (refused later if they are in stock elsewhere: move them instead).
import type { MoveSpec } from '../ledger/index.js';
import type { Ctx } from '../shared/index.js';

export async function differences(ctx: Ctx, countId: string): Promise<MoveSpec[]> {
  const lines = await ctx.db.query<{
    itemId: string;
    locationId: string;
    warehouseId: string;
    lot: string;
    counted: string;
    serials: string[] | null;
  }>(
    `select cl.item_id as "itemId", cl.location_id as "locationId", l.warehouse_id as "warehouseId", cl.lot,
            cl.counted_qty::text as counted, cl.counted_serials as serials
       from count_lines cl join locations l on l.id = cl.location_id
      where cl.count_id = $1 and cl.counted_qty is not null
      order by cl.item_id, cl.location_id, cl.lot`,
    [countId],
  );
  const specs: MoveSpec[] = [];
  for (const [i, l] of lines.entries()) {
    const field = `/count/lines/${i}`;
    const base = {
      field,
      kind: 'count' as const,
      itemId: l.itemId,
      locationId: l.locationId,
      lot: l.lot || null,
    };
    if (l.serials) {
      const here = await ctx.db.query<{ serial: string }>(
        'select serial from serial_stock where item_id = $1 and location_id = $2 order by serial for update',
        [l.itemId, l.locationId],
      );
      const counted = new Set(l.serials);
      const expected = new Set(here.map((h) => h.serial));
      const missing = [...expected].filter((s) => !counted.has(s));
      const found = [...counted].filter((s) => !expected.has(s));
      if (missing.length) specs.push({ ...base, qty: `-${missing.length}`, serials: missing });
      if (found.length) specs.push({ ...base, qty: String(found.length), serials: found });
      continue;
    }
    await ctx.db.query(
      `insert into balances (item_id, location_id, lot, warehouse_id, qty) values ($1, $2, $3, $4, 0)
       on conflict do nothing`,
      [l.itemId, l.locationId, l.lot, l.warehouseId],
    );
    const diff = await ctx.db.one<{ diff: string; zero: boolean }>(
      `select trim_scale($4::numeric - qty)::text as diff, $4::numeric = qty as zero from balances
        where item_id = $1 and location_id = $2 and lot = $3 for update`,
      [l.itemId, l.locationId, l.lot, l.counted],
    );
    if (!diff!.zero) specs.push({ ...base, qty: diff!.diff });
  }
  return specs;
}
