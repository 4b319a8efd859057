// Valuation rows: found or created, always locked (SELECT … FOR UPDATE) for the rest of the unit of
// work, so two deliveries or requests touching the same item and warehouse are costed one after
// the other. Several valuations are locked in key order, so two units of work cannot deadlock on
// them.
import { createValuation, type ValuationSnapshot } from '../engine/index.js';
import { itemSettings } from '../item-settings/index.js';
import type { Ctx } from '../shared/index.js';
import type { Initial, ValuationKey, ValuationRow } from './types.js';
import { valuationId } from './types.js';

const COLUMNS = `item_id as "itemId", warehouse_id as "warehouseId", sku, initial, state,
  iso(last_at) as "lastAt", last_seq::text as "lastSeq", last_ord::text as "lastOrd",
  trim_scale(qty)::text as qty, trim_scale(value)::text as value, waiting`;

export async function findValuation(ctx: Ctx, key: ValuationKey, lock = true): Promise<ValuationRow | null> {
  return ctx.db.one<ValuationRow>(
    `select ${COLUMNS} from valuations where item_id = $1 and warehouse_id = $2${lock ? ' for update' : ''}`,
    [key.itemId, key.warehouseId],
  ) as Promise<ValuationRow | null>;
}

/** Locks the valuations (creating missing ones from the item's settings), in key order. */
export async function lockValuations(
  ctx: Ctx,
  keys: readonly ValuationKey[],
  sku?: string | null,
): Promise<Map<string, ValuationRow>> {
  const unique = [...new Map(keys.map((k) => [valuationId(k), k])).values()].sort((a, b) =>
    valuationId(a).localeCompare(valuationId(b)),
  );
  const out = new Map<string, ValuationRow>();
  for (const key of unique) {
    let row = await findValuation(ctx, key);
    if (!row) {
      await createValuationRow(ctx, key, sku ?? null);
      row = await findValuation(ctx, key);
    }
    out.set(valuationId(key), row!);
  }
  return out;
}

async function createValuationRow(ctx: Ctx, key: ValuationKey, sku: string | null) {
  const s = await itemSettings(ctx, key.itemId);
  if (!s.configured) {
    // An item's settings are fixed the first time it is valued, so a later change of the tenant's
    // defaults cannot value its warehouses under different methods.
    await ctx.db.query(
      `insert into item_settings (item_id, method, standard_price, currency_decimals)
       values ($1, $2, $3, $4) on conflict do nothing`,
      [key.itemId, s.method, s.standardPrice, s.currencyDecimals],
    );
  }
  const initial: Initial = {
    method: s.method,
    standardPrice: s.standardPrice,
    currencyDecimals: s.currencyDecimals,
  };
  const state = freshValuation(initial, s.allowNegativeStock).toJSON();
  await ctx.db.query(
    `insert into valuations (item_id, warehouse_id, sku, initial, state) values ($1, $2, $3, $4, $5)
     on conflict do nothing`,
    [key.itemId, key.warehouseId, sku, initial as never, state as never],
  );
}

export function freshValuation(initial: Initial, allowNegativeStock: boolean) {
  return createValuation({
    method: initial.method,
    ...(initial.standardPrice !== null ? { standardPrice: initial.standardPrice } : {}),
    currencyDecimals: initial.currencyDecimals,
    allowNegativeStock,
    keepHistory: false,
  });
}

export async function saveValuation(
  ctx: Ctx,
  key: ValuationKey,
  state: ValuationSnapshot,
  last: { at: string; seq: string; ord: string } | null,
  waiting: number,
  recosted: boolean,
  sku?: string | null,
) {
  await ctx.db.query(
    `update valuations set state = $3, last_at = $4, last_seq = $5, last_ord = $6, qty = $7, value = $8,
            waiting = $9, recosts = recosts + $10, sku = coalesce($11, sku), updated_at = now()
      where item_id = $1 and warehouse_id = $2`,
    [
      key.itemId,
      key.warehouseId,
      state as never,
      last?.at ?? null,
      last?.seq ?? null,
      last?.ord ?? null,
      state.qty,
      state.value,
      waiting,
      recosted ? 1 : 0,
      sku ?? null,
    ],
  );
}

/** The item's valuations (one per warehouse it has been valued in), locked in key order. */
export async function lockItemValuations(ctx: Ctx, itemId: string): Promise<ValuationRow[]> {
  const keys = await ctx.db.query<ValuationKey>(
    'select item_id as "itemId", warehouse_id as "warehouseId" from valuations where item_id = $1',
    [itemId],
  );
  return [...(await lockValuations(ctx, keys)).values()];
}
