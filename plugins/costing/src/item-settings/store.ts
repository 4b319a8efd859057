// An item's effective costing settings: its own row, or the tenant's defaults from the plugin's
// configuration (defaultMethod, currencyDecimals, allowNegativeStock).
import type { CostingMethod } from '../engine/index.js';
import type { Ctx } from '../shared/index.js';

export interface ItemSettings {
  itemId: string;
  method: CostingMethod;
  standardPrice: string | null;
  currencyDecimals: number;
  allowNegativeStock: boolean;
  /** Whether allowNegativeStock is the item's own choice or the tenant's default. */
  negativeStockFrom: 'item' | 'tenant';
  /** False when the item has no settings row and runs on the tenant's defaults. */
  configured: boolean;
}

export function tenantDefaults(ctx: Ctx) {
  const c = ctx.config;
  return {
    method: (typeof c.defaultMethod === 'string' ? c.defaultMethod : 'fifo') as CostingMethod,
    currencyDecimals: typeof c.currencyDecimals === 'number' ? c.currencyDecimals : 2,
    allowNegativeStock: c.allowNegativeStock === true,
  };
}

export async function itemSettings(ctx: Ctx, itemId: string): Promise<ItemSettings> {
  const d = tenantDefaults(ctx);
  const row = await ctx.db.one<{
    method: CostingMethod;
    standardPrice: string | null;
    currencyDecimals: number;
    allowNegativeStock: boolean | null;
  }>(
    `select case when specific then 'specific' else method end as method, trim_scale(standard_price)::text as "standardPrice", currency_decimals as "currencyDecimals",
            allow_negative_stock as "allowNegativeStock"
       from item_settings where item_id = $1`,
    [itemId],
  );
  if (!row) {
    return {
      itemId,
      method: d.method,
      standardPrice: null,
      currencyDecimals: d.currencyDecimals,
      allowNegativeStock: d.allowNegativeStock,
      negativeStockFrom: 'tenant',
      configured: false,
    };
  }
  return {
    itemId,
    method: row.method,
    standardPrice: row.standardPrice,
    currencyDecimals: row.currencyDecimals,
    allowNegativeStock: row.allowNegativeStock ?? d.allowNegativeStock,
    negativeStockFrom: row.allowNegativeStock === null ? 'tenant' : 'item',
    configured: true,
  };
}
