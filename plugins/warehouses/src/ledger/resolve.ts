// Checks every line of a post before anything is written: the item and location exist, the item is
// active, the quantity is non-zero and has no more decimals than the item's unit allows, and the
// lot / serial numbers match the item's tracking mode (serials: as many as the quantity, no
// repeats). Returns the items and locations the ledger needs.
import type { ItemRow, LocationRow } from '../catalogue/index.js';
import { type Ctx, equalsCount, isZero, refuse, scaleOf } from '../shared/index.js';
import type { MoveSpec } from './types.js';

export interface Resolved {
  items: Map<string, ItemRow>;
  locations: Map<string, LocationRow>;
}

export async function resolveSpecs(ctx: Ctx, specs: readonly MoveSpec[]): Promise<Resolved> {
  const itemIds = [...new Set(specs.map((s) => s.itemId))];
  const locationIds = [...new Set(specs.map((s) => s.locationId))];
  const items = new Map(
    (
      await ctx.db.query<ItemRow>(
        `select id, sku, name, uom, qty_scale as "qtyScale", tracking, active from items where id = any($1::uuid[])`,
        [itemIds],
      )
    ).map((i) => [i.id, i]),
  );
  const locations = new Map(
    (
      await ctx.db.query<LocationRow>(
        `select l.id, l.warehouse_id as "warehouseId", l.parent_id as "parentId", l.code, l.name, l.kind, l.path,
                l.code_path as "codePath", w.code as "warehouseCode"
           from locations l join warehouses w on w.id = l.warehouse_id where l.id = any($1::uuid[])`,
        [locationIds],
      )
    ).map((l) => [l.id, l]),
  );
  // Each serial may appear once among the moves going out, and once among those coming in.
  const seen = new Map<string, string>();
  for (const s of specs) {
    const item = items.get(s.itemId);
    if (!item) refuse(422, 'ITEM_UNKNOWN', 'Unknown item', `${s.field}/itemId`, 'no such item');
    if (!item.active)
      refuse(422, 'ITEM_INACTIVE', 'Inactive item', `${s.field}/itemId`, `${item.sku} is inactive`);
    const locField = s.fields?.locationId ?? `${s.field}/locationId`;
    if (!locations.has(s.locationId))
      refuse(422, 'LOCATION_UNKNOWN', 'Unknown location', locField, 'no such location');
    if (isZero(s.qty))
      refuse(422, 'QTY_NOT_POSITIVE', 'Quantity must not be zero', `${s.field}/qty`, 'must not be zero');
    if (scaleOf(s.qty) > item.qtyScale)
      refuse(
        422,
        'QTY_PRECISION',
        'Too many decimals for the unit',
        `${s.field}/qty`,
        `${item.sku} is counted in ${item.uom} with ${item.qtyScale} decimal(s)`,
      );
    const serials = s.serials ?? [];
    if (item.tracking === 'none') {
      if (s.lot)
        refuse(
          422,
          'NOT_LOT_TRACKED',
          'Item is not lot-tracked',
          `${s.field}/lot`,
          `${item.sku} has no lots`,
        );
      if (serials.length)
        refuse(
          422,
          'NOT_SERIAL_TRACKED',
          'Item is not serial-tracked',
          `${s.field}/serials`,
          `${item.sku} has no serials`,
        );
    } else if (item.tracking === 'lot') {
      if (!s.lot) refuse(422, 'LOT_REQUIRED', 'Lot required', `${s.field}/lot`, `${item.sku} is lot-tracked`);
      if (serials.length)
        refuse(
          422,
          'NOT_SERIAL_TRACKED',
          'Item is not serial-tracked',
          `${s.field}/serials`,
          `${item.sku} has lots, not serials`,
        );
    } else {
      if (s.lot)
        refuse(
          422,
          'NOT_LOT_TRACKED',
          'Item is not lot-tracked',
          `${s.field}/lot`,
          `${item.sku} has serials, not lots`,
        );
      if (!equalsCount(s.qty, serials.length))
        refuse(
          422,
          'SERIAL_COUNT_MISMATCH',
          'Serial numbers do not match the quantity',
          `${s.field}/serials`,
          `${serials.length} serial number(s) for a quantity of ${s.qty.replace(/^-/, '')}`,
        );
      const direction = s.qty.startsWith('-') ? 'out' : 'in';
      serials.forEach((serial, i) => {
        const key = `${direction}\u0000${s.itemId}\u0000${serial}`;
        const first = seen.get(key);
        if (first)
          refuse(
            422,
            'SERIAL_DUPLICATE',
            'Serial number given twice',
            `${s.field}/serials/${i}`,
            `${serial} also at ${first}`,
          );
        seen.set(key, `${s.field}/serials/${i}`);
      });
    }
  }
  return { items, locations };
}
