// Reading the history back for the engine: a series' demand, its on-hand, its receipts.
import type { Ctx } from '../shared/index.js';

export async function demandOf(ctx: Ctx, itemId: string, warehouseId: string) {
  return ctx.db.query<{ at: string; qty: string }>(
    `select to_char(effective_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, (-qty)::text as qty
       from moves m where item_id = $1 and warehouse_id = $2 and demand
        and not exists (select 1 from moves c where c.cancels_move_id = m.move_id)
      order by effective_at`,
    [itemId, warehouseId],
  );
}

/** On hand as a decimal string (a quantity: stored and shown exactly). */
export async function onHandOf(ctx: Ctx, itemId: string, warehouseId: string): Promise<string> {
  const row = await ctx.db.one<{ q: string }>(
    'select trim_scale(coalesce(sum(qty), 0))::text as q from moves where item_id = $1 and warehouse_id = $2',
    [itemId, warehouseId],
  );
  return row?.q ?? '0';
}

/** Every item and warehouse with demand (what the retraining job walks). */
export async function seriesKeys(ctx: Ctx) {
  return ctx.db.query<{ itemId: string; warehouseId: string }>(
    `select distinct item_id as "itemId", warehouse_id as "warehouseId" from moves where demand
      order by 1, 2`,
  );
}
