// A vendor bill as costed: per line the difference from the receipt's value, the part that
// adjusted stock on hand and the part booked as price difference (purchase_price variance).
import type { Ctx } from '../shared/index.js';

export async function readVendorBill(ctx: Ctx, id: string) {
  const bill = await ctx.db.one<Record<string, unknown>>(
    `select id, reference, iso(at) as date, currency, trim_scale(rate)::text as rate,
            iso(cancelled_at) as "cancelledAt" from vendor_bills where id = $1`,
    [id],
  );
  if (!bill) return null;
  const lines = await ctx.db.query(
    `select l.line_no as line, l.receipt_id as "receiptId", l.item_id as "itemId", l.warehouse_id as "warehouseId",
            trim_scale(l.qty)::text as qty, trim_scale(l.unit_price)::text as "unitPrice",
            trim_scale(coalesce(sum(e.received), 0))::text as difference,
            trim_scale(coalesce(sum(e.stock), 0))::text as capitalised,
            trim_scale(coalesce(sum(e.variance), 0))::text as "priceDifference"
       from vendor_bill_lines l left join entries e on e.step_id = l.step_id
      where l.bill_id = $1
      group by l.line_no, l.receipt_id, l.item_id, l.warehouse_id, l.qty, l.unit_price
      order by l.line_no`,
    [id],
  );
  return { ...bill, lines };
}
