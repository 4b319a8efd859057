// The valuation report: quantity and value per item and warehouse, now (the valuations' current
// figures) or at any date (the sum of their entries up to it), with the method, the unit cost
// (value ÷ quantity) and how many moves wait to be costed.
import type { Json } from '@erp/sdk';
import { add, type Ctx } from '../shared/index.js';

export interface ValuationQuery {
  asOf?: string;
  itemId?: string;
  warehouseId?: string;
}

const FILTER = '($2::uuid is null or v.item_id = $2) and ($3::uuid is null or v.warehouse_id = $3)';

export async function valuationReport(ctx: Ctx, q: ValuationQuery) {
  const asOf = q.asOf
    ? (await ctx.db.one<{ at: string }>('select iso($1::timestamptz) as at', [q.asOf]))!.at
    : null;
  const figures = asOf
    ? `(select item_id, warehouse_id, sum(qty) as qty, sum(stock) as value from entries
         where at <= $1::timestamptz and ($2::uuid is null or item_id = $2) and ($3::uuid is null or warehouse_id = $3)
         group by item_id, warehouse_id)`
    : `(select item_id, warehouse_id, qty, value from valuations where $1::timestamptz is null)`;
  const rows = await ctx.db.query<{ value: string }>(
    `select v.item_id as "itemId", v.sku, v.warehouse_id as "warehouseId", s.method,
            trim_scale(coalesce(t.qty, 0))::text as qty, trim_scale(coalesce(t.value, 0))::text as value,
            case when coalesce(t.qty, 0) > 0 then trim_scale(round(t.value / t.qty, 10))::text end as "unitCost",
            v.waiting
       from valuations v join item_settings s on s.item_id = v.item_id
       left join ${figures} t on t.item_id = v.item_id and t.warehouse_id = v.warehouse_id
      where ${FILTER}
        and (coalesce(t.qty, 0) <> 0 or coalesce(t.value, 0) <> 0 or ($1::timestamptz is null and v.waiting > 0))
      order by v.sku nulls last, v.item_id, v.warehouse_id`,
    [asOf, q.itemId ?? null, q.warehouseId ?? null] as Json[],
  );
  let total = '0';
  for (const r of rows) total = add(total, r.value);
  return { asOf, rows, totalValue: total };
}
