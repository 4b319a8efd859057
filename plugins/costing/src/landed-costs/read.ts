// A landed cost as allocated and costed: per line the share, the part capitalised into stock, the
// part expensed to COGS (units already issued) and, under standard cost, the variance.
import type { Ctx } from '../shared/index.js';

export async function readLandedCost(ctx: Ctx, id: string) {
  const doc = await ctx.db.one<Record<string, unknown>>(
    `select id, reference, iso(at) as date, trim_scale(amount)::text as amount, split,
            iso(cancelled_at) as "cancelledAt" from documents
      where id = $1 and kind = 'landed-cost'`,
    [id],
  );
  if (!doc) return null;
  const lines = await ctx.db.query(
    `select l.line_no as line, l.receipt_id as "receiptId", l.item_id as "itemId", l.warehouse_id as "warehouseId",
            trim_scale(l.weight)::text as weight, trim_scale(l.volume)::text as volume, trim_scale(l.share)::text as share,
            trim_scale(coalesce(sum(e.stock), 0))::text as capitalised, trim_scale(coalesce(sum(e.cogs), 0))::text as expensed,
            trim_scale(coalesce(sum(e.variance), 0))::text as variance
       from landed_cost_lines l left join entries e on e.step_id = l.step_id
      where l.landed_cost_id = $1
      group by l.line_no, l.receipt_id, l.item_id, l.warehouse_id, l.weight, l.volume, l.share
      order by l.line_no`,
    [id],
  );
  return { ...doc, lines };
}
