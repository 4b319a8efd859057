// FEFO picking suggestions: the lots in stock where asked (a warehouse or a location), earliest
// expiry first, then earliest arrival, then lot code; lots without an expiry come after those
// with one; expired and recalled lots are never suggested but are listed as excluded. The running
// sum and the quantities are computed by Postgres `numeric`.
import { schema } from '@erp/sdk';
import { type Ctx, DateOnly, Qty, refuse, Uuid } from '../shared/index.js';

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

const STOCK = `
  with stock as (
    select t.lot, t.warehouse_id, t.location_id, sum(t.qty) as qty
      from tracked_moves t
     where t.item_id = $1 and t.lot is not null
       and ($2::uuid is null or t.warehouse_id = $2) and ($3::uuid is null or t.location_id = $3)
     group by t.lot, t.warehouse_id, t.location_id having sum(t.qty) > 0
  ), lots_in_stock as (
    select s.*, l.expires_on, l.first_received_at, l.status,
           l.expires_on is not null and l.expires_on < coalesce($4::date, (now() at time zone 'UTC')::date) as expired
      from stock s join lots l on l.item_id = $1 and l.code = s.lot
  ), eligible as (
    select e.*, coalesce(sum(e.qty) over (order by e.expires_on asc nulls last, e.first_received_at asc nulls last, e.lot,
                                          e.location_id rows between unbounded preceding and 1 preceding), 0) as before
      from lots_in_stock e where e.status = 'active' and not e.expired
  )`;

export async function fefo(
  ctx: Ctx,
  q: { itemId: string; qty: string; warehouseId?: string; locationId?: string; on?: string },
) {
  if (/^0+(\.0+)?$/.test(q.qty))
    refuse(422, 'QTY_NOT_POSITIVE', 'Quantity must be positive', '/query/qty', 'must be greater than zero');
  const params = [q.itemId, q.warehouseId ?? null, q.locationId ?? null, q.on ?? null, q.qty];
  const picks = await ctx.db.query(
    `${STOCK}
     select lot, warehouse_id as "warehouseId", location_id as "locationId", expires_on::text as "expiresOn",
            iso(first_received_at) as "firstReceivedAt", trim_scale(qty)::text as available,
            trim_scale(least(qty, $5::numeric - before))::text as qty
       from eligible where before < $5::numeric
      order by expires_on asc nulls last, first_received_at asc nulls last, lot, location_id`,
    params,
  );
  const totals = await ctx.db.one<{ allocated: string; shortfall: string }>(
    `${STOCK}
     select trim_scale(least($5::numeric, coalesce(sum(qty), 0)))::text as allocated,
            trim_scale(greatest(0, $5::numeric - coalesce(sum(qty), 0)))::text as shortfall
       from eligible`,
    params,
  );
  const excluded = await ctx.db.query(
    `${STOCK}
     select lot, warehouse_id as "warehouseId", location_id as "locationId", expires_on::text as "expiresOn",
            trim_scale(qty)::text as qty, case when status = 'recalled' then 'recalled' else 'expired' end as reason
       from lots_in_stock where status <> 'active' or expired
      order by lot, location_id`,
    params.slice(0, 4),
  );
  return { itemId: q.itemId, requested: q.qty, ...totals, picks, excluded };
}
