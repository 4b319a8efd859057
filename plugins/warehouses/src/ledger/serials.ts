// Serial numbers: a serial is in one location or out of stock. Receiving one that is in stock,
// or issuing one that is not in the source location (elsewhere, already gone, another item's,
// never seen) is refused, naming the serial. Row locks on serial_stock serialise concurrent moves.
import { type LocationRow, placeOf } from '../catalogue/index.js';
import { type Ctx, isNegative, refuse } from '../shared/index.js';
import type { MoveSpec } from './types.js';

export async function applySerials(
  ctx: Ctx,
  spec: MoveSpec,
  moveId: string,
  location: LocationRow,
  sku: string,
): Promise<void> {
  const serials = [...(spec.serials ?? [])];
  if (!serials.length) return;
  const pointer = (serial: string) => `${spec.field}/serials/${serials.indexOf(serial)}`;
  if (!isNegative(spec.qty)) {
    const placed = await ctx.db.query<{ serial: string }>(
      `insert into serial_stock (item_id, serial, location_id, last_move_id)
       select $1, s, $2, $3 from unnest($4::text[]) s
       on conflict (tenant_id, item_id, serial) do update
         set location_id = excluded.location_id, last_move_id = excluded.last_move_id
         where serial_stock.location_id is null
       returning serial`,
      [spec.itemId, spec.locationId, moveId, serials],
    );
    if (placed.length === serials.length) return;
    const done = new Set(placed.map((p) => p.serial));
    const clash = serials.find((s) => !done.has(s))!;
    const where = await ctx.db.one<{ code: string }>(
      `select l.code_path || ' in warehouse ' || w.code as code from serial_stock s join locations l on l.id = s.location_id
        join warehouses w on w.id = l.warehouse_id where s.item_id = $1 and s.serial = $2`,
      [spec.itemId, clash],
    );
    refuse(
      409,
      'SERIAL_IN_STOCK',
      'Serial number already in stock',
      pointer(clash),
      `${sku} serial ${clash} is already in stock at ${where?.code ?? 'another location'}`,
    );
  }
  const taken = await ctx.db.query<{ serial: string }>(
    `update serial_stock set location_id = null, last_move_id = $4
      where item_id = $1 and serial = any($2::text[]) and location_id = $3 returning serial`,
    [spec.itemId, serials, spec.locationId, moveId],
  );
  if (taken.length === serials.length) return;
  const done = new Set(taken.map((t) => t.serial));
  const missing = serials.find((s) => !done.has(s))!;
  const own = await ctx.db.one<{ code: string | null }>(
    `select l.code_path || ' in warehouse ' || w.code as code from serial_stock s
       left join locations l on l.id = s.location_id left join warehouses w on w.id = l.warehouse_id
      where s.item_id = $1 and s.serial = $2`,
    [spec.itemId, missing],
  );
  if (own?.code)
    refuse(
      409,
      'SERIAL_NOT_IN_LOCATION',
      'Serial number is elsewhere',
      pointer(missing),
      `${sku} serial ${missing} is at ${own.code}, not at ${placeOf(location)}`,
    );
  if (own)
    refuse(
      409,
      'SERIAL_NOT_IN_STOCK',
      'Serial number not in stock',
      pointer(missing),
      `${sku} serial ${missing} has already left stock`,
    );
  const other = await ctx.db.one<{ sku: string }>(
    `select i.sku from serial_stock s join items i on i.id = s.item_id where s.serial = $1 and s.item_id <> $2
      order by (s.location_id is null) limit 1`,
    [missing, spec.itemId],
  );
  if (other)
    refuse(
      422,
      'SERIAL_OTHER_ITEM',
      'Serial number belongs to another item',
      pointer(missing),
      `serial ${missing} is a ${other.sku}, not a ${sku}`,
    );
  refuse(
    422,
    'SERIAL_UNKNOWN',
    'Unknown serial number',
    pointer(missing),
    `${sku} serial ${missing} was never received`,
  );
}
