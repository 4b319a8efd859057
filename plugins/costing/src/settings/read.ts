// An item's costing as the API shows it: effective settings, and per warehouse the quantity and
// value on hand, the unit cost, open layers, issues below zero, the totals of its entries, and the
// moves waiting to be costed. An item costing knows nothing of (no settings of its own, never
// valued, no move waiting) is unknown here: null, which the route answers 404.
import { restoreValuation } from '../engine/index.js';
import { itemSettings } from '../item-settings/index.js';
import type { Ctx } from '../shared/index.js';

export async function readItem(ctx: Ctx, itemId: string) {
  const settings = await itemSettings(ctx, itemId);
  const rows = await ctx.db.query<{
    warehouseId: string;
    sku: string | null;
    state: Parameters<typeof restoreValuation>[0];
    qty: string;
    value: string;
    waiting: number;
    recosts: number;
  }>(
    `select warehouse_id as "warehouseId", sku, state, trim_scale(qty)::text as qty, trim_scale(value)::text as value,
            waiting, recosts
       from valuations where item_id = $1 order by warehouse_id`,
    [itemId],
  );
  const waiting = await ctx.db.query<{ warehouseId: string }>(
    `select warehouse_id as "warehouseId", id, kind, iso(at) as at, trim_scale(qty)::text as qty, error_code as "errorCode",
            error from steps where item_id = $1 and status = 'waiting' order by at, seq, ord`,
    [itemId],
  );
  const totals = await ctx.db.query<{ warehouseId: string }>(
    `select warehouse_id as "warehouseId", trim_scale(sum(received))::text as received,
            trim_scale(sum(landed))::text as landed, trim_scale(sum(revaluation))::text as revaluation,
            trim_scale(sum(cogs))::text as cogs, trim_scale(sum(variance))::text as variance,
            trim_scale(sum(transfer))::text as transfer, trim_scale(sum(adjustment))::text as adjustment
       from entries where item_id = $1 group by warehouse_id`,
    [itemId],
  );
  if (!settings.configured && rows.length === 0 && waiting.length === 0) return null;
  return {
    itemId,
    sku: rows.find((r) => r.sku)?.sku ?? null,
    settings: {
      method: settings.method,
      standardPrice: settings.standardPrice,
      currencyDecimals: settings.currencyDecimals,
      allowNegativeStock: settings.allowNegativeStock,
      allowNegativeStockFrom: settings.negativeStockFrom,
    },
    valuations: rows.map((r) => {
      const v = restoreValuation(r.state);
      return {
        warehouseId: r.warehouseId,
        method: v.method,
        qty: r.qty,
        value: r.value,
        unitCost: v.unitCost(),
        layers: v.layers(),
        pendingIssues: v.pendingIssues(),
        recosts: r.recosts,
        // Since the first step: received + landed + revaluation = cogs + variance + value + transfer + adjustment.
        totals: totals.find((t) => t.warehouseId === r.warehouseId) ?? null,
        waiting: waiting.filter((w) => w.warehouseId === r.warehouseId),
      };
    }),
  };
}
