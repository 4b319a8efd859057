// FEFO picking suggestions: the lots in stock where asked (a warehouse or a location), ordered by
// the rules library (removal date, else expiration date; undated lots last; then the oldest
// receipt, then the lot code). Expired and recalled lots are never suggested but are listed as
// excluded; a pick past its alert or removal date carries its status and a warning. Quantities and
// the running sum stay in Postgres `numeric`: the library decides the order, SQL allocates along it.
import { schema } from '@erp/sdk';
import { expiryStatus, fefoOrder } from '../rules/index.js';
import { type Ctx, DateOnly, Qty, refuse, today, Uuid } from '../shared/index.js';

export const FefoQuery = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'qty'],
  properties: {
    itemId: Uuid,
    qty: { ...Qty, description: 'Quantity to pick, as a decimal string' },
    warehouseId: Uuid,
    locationId: Uuid,
    on: { ...DateOnly, description: 'Date of the pick (expired lots are excluded); default today' },
  },
} as const);

interface StockRow {
  lot: string;
  warehouseId: string;
  locationId: string;
  qty: string;
  expiresOn: string | null;
  removalOn: string | null;
  alertOn: string | null;
  firstReceivedAt: string | null;
  recalled: boolean;
}

export async function fefo(
  ctx: Ctx,
  q: { itemId: string; qty: string; warehouseId?: string; locationId?: string; on?: string },
) {
  if (/^0+(\.0+)?$/.test(q.qty))
    refuse(422, 'QTY_NOT_POSITIVE', 'Quantity must be positive', '/query/qty', 'must be greater than zero');
  const on = q.on ?? today();
  const stock = await ctx.db.query<StockRow>(
    `select t.lot, t.warehouse_id as "warehouseId", t.location_id as "locationId", trim_scale(sum(t.qty))::text as qty,
            l.expires_on::text as "expiresOn", l.removal_on::text as "removalOn", l.alert_on::text as "alertOn",
            iso(l.first_received_at) as "firstReceivedAt", l.status = 'recalled' as recalled
       from tracked_moves t join lots l on l.item_id = t.item_id and l.code = t.lot
      where t.item_id = $1 and t.lot is not null
        and ($2::uuid is null or t.warehouse_id = $2) and ($3::uuid is null or t.location_id = $3)
      group by t.lot, t.warehouse_id, t.location_id, l.expires_on, l.removal_on, l.alert_on, l.first_received_at, l.status
     having sum(t.qty) > 0
      order by t.location_id`,
    [q.itemId, q.warehouseId ?? null, q.locationId ?? null],
  );
  const rows = stock.map((s) => ({ ...s, status: expiryStatus(s, on) }));
  const excluded = rows
    .filter((s) => s.recalled || s.status === 'expired')
    .map((s) => ({
      lot: s.lot,
      warehouseId: s.warehouseId,
      locationId: s.locationId,
      expiresOn: s.expiresOn,
      qty: s.qty,
      reason: s.recalled ? 'recalled' : 'expired',
    }))
    .sort((a, b) => (a.lot === b.lot ? (a.locationId < b.locationId ? -1 : 1) : a.lot < b.lot ? -1 : 1));
  const ordered = fefoOrder(
    rows
      .filter((s) => !s.recalled && s.status !== 'expired')
      .map((s) => ({ ...s, code: s.lot, receivedOn: s.firstReceivedAt ?? '~' })),
  );
  // Allocate along the library's order: running sums over numeric, in that order (ordinality).
  const allocation = await ctx.db.query<{ i: number; qty: string }>(
    `select (i - 1)::int as i, trim_scale(least(q, $2::numeric - coalesce(sum(q) over (order by i rows between unbounded preceding and 1 preceding), 0)))::text as qty
       from unnest($1::numeric[]) with ordinality as a(q, i)`,
    [ordered.map((s) => s.qty), q.qty],
  );
  const picks = allocation
    .filter((a) => !a.qty.startsWith('-') && a.qty !== '0')
    .map((a) => {
      const s = ordered[a.i]!;
      const warning =
        s.status === 'removal'
          ? `past its removal date ${s.removalOn}`
          : s.status === 'alert'
            ? `past its alert date ${s.alertOn}`
            : undefined;
      return {
        lot: s.lot,
        warehouseId: s.warehouseId,
        locationId: s.locationId,
        expiresOn: s.expiresOn,
        removalOn: s.removalOn,
        firstReceivedAt: s.firstReceivedAt,
        available: s.qty,
        qty: a.qty,
        status: s.status,
        ...(warning ? { warning } : {}),
      };
    });
  const totals = await ctx.db.one<{ allocated: string; shortfall: string }>(
    `select trim_scale(least($2::numeric, coalesce(sum(q), 0)))::text as allocated,
            trim_scale(greatest(0, $2::numeric - coalesce(sum(q), 0)))::text as shortfall
       from unnest($1::numeric[]) q`,
    [ordered.map((s) => s.qty), q.qty],
  );
  return { itemId: q.itemId, requested: q.qty, on, ...totals!, picks, excluded };
}
