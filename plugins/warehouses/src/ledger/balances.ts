// Keeps `balances` equal to the ledger's sums, and refuses an outgoing move that would leave any
// balance below zero — now or, for a back-dated move, at any date after it. The UPDATE's row lock
// is what serialises concurrent issues of the same stock: the second waits for the first to
// commit, re-reads the quantity and is refused if too little is left.
import { type LocationRow, placeOf } from '../catalogue/index.js';
import { abs, type Ctx, isNegative, refuse } from '../shared/index.js';
import type { MoveSpec } from './types.js';

const KEY = 'item_id = $1 and location_id = $2 and lot = $3';

export async function applyBalance(
  ctx: Ctx,
  spec: MoveSpec,
  location: LocationRow,
  sku: string,
  effectiveAt: string,
): Promise<void> {
  const lot = spec.lot ?? '';
  if (!isNegative(spec.qty)) {
    await ctx.db.query(
      `insert into balances (item_id, location_id, lot, warehouse_id, qty) values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, item_id, location_id, lot) do update set qty = balances.qty + excluded.qty`,
      [spec.itemId, spec.locationId, lot, location.warehouseId, spec.qty],
    );
    return;
  }
  const out = abs(spec.qty);
  const taken = await ctx.db.one(
    `update balances set qty = qty - $4::numeric where ${KEY} and qty >= $4::numeric returning 1 as ok`,
    [spec.itemId, spec.locationId, lot, out],
  );
  const where = `${sku}${lot ? ` lot ${lot}` : ''} at ${placeOf(location)}`;
  if (!taken) {
    const have = await ctx.db.one<{ qty: string }>(
      `select trim_scale(qty)::text as qty from balances where ${KEY}`,
      [spec.itemId, spec.locationId, lot],
    );
    refuse(
      409,
      'INSUFFICIENT_STOCK',
      'Not enough stock',
      `${spec.field}/qty`,
      `${out} requested, ${have?.qty ?? '0'} on hand of ${where}`,
    );
  }
  // A back-dated move must also leave every later running balance at or above zero.
  const history = await ctx.db.one<{ available: string; ok: boolean }>(
    `with later as (
       select sum(qty) over (order by effective_at, seq) as running
         from moves where ${KEY} and effective_at > $4::timestamptz
     ), at_date as (
       select coalesce(sum(qty), 0) as q from moves
        where ${KEY} and effective_at <= $4::timestamptz and exists (select 1 from later)
     )
     select trim_scale(a.q + least(0, coalesce((select min(running) from later), 0)))::text as available,
            a.q + least(0, coalesce((select min(running) from later), 0)) >= $5::numeric as ok
       from at_date a where exists (select 1 from later)`,
    [spec.itemId, spec.locationId, lot, effectiveAt, out],
  );
  if (history && !history.ok)
    refuse(
      409,
      'INSUFFICIENT_STOCK',
      'Not enough stock at that date',
      `${spec.field}/qty`,
      `${out} requested at ${effectiveAt}, but later moves leave only ${history.available} of ${where} available then`,
    );
}
