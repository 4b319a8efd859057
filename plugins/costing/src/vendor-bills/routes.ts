// Vendor bills (issue 14): the price billed for received lines, optionally in another currency at
// a rate; no purchase order needed. Each line is a step of its receipt's valuation (the engine's
// `bill`): under standard cost the difference from the receipt's value is purchase price variance;
// under FIFO, LIFO and average the share of the receipt's units still on hand adjusts their value
// and the rest is price difference. Anything refused leaves nothing behind.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { documentDate, newIds } from '../documents/index.js';
import { DateTime, IdParams, refuse, Text, UnitCost, Uuid } from '../shared/index.js';
import {
  cancelDocument,
  costSteps,
  documentPosition,
  getSteps,
  lockValuations,
  type NewStep,
  requireCosted,
} from '../valuations/index.js';
import { readVendorBill } from './read.js';

const Qty = { type: 'string', pattern: '^[0-9]{1,20}(\\.[0-9]{1,30})?$' } as const;

const VendorBill = schema({
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    reference: Text,
    date: DateTime,
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of the bill' },
    rate: {
      ...Qty,
      description:
        "Units of the valuation's currency per unit of the bill's currency (required with currency)",
    },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['receiptId', 'unitPrice'],
        properties: {
          receiptId: { ...Uuid, description: 'The receipt move (warehouses ledger) billed' },
          qty: { ...Qty, description: 'Units billed; default all the receipt has left to bill' },
          unitPrice: { ...UnitCost, description: "Price per unit in the bill's currency" },
        },
      },
    },
  },
} as const);

export const vendorBillRoutes: Record<string, PluginRoute> = {
  'POST /vendor-bills': route({
    permission: 'costing.bills.write',
    summary: 'Post a vendor bill against receipt lines: price variance or on-hand adjustment',
    body: VendorBill,
    status: 201,
    async handler(ctx, { body }) {
      if (body.currency !== undefined && body.rate === undefined)
        refuse(422, 'COSTING_RATE_REQUIRED', 'Rate required', '/body/rate', 'is required with a currency');
      if (body.rate !== undefined && /^0+(\.0+)?$/.test(body.rate))
        refuse(400, 'COSTING_INVALID_INPUT', 'Invalid rate', '/body/rate', 'must be greater than zero');
      const steps = await getSteps(
        ctx,
        body.lines.map((l) => l.receiptId),
      );
      const seen = new Set<string>();
      const receipts = body.lines.map((line, i) => {
        const field = `/body/lines/${i}/receiptId`;
        const s = steps.get(line.receiptId);
        if (seen.has(line.receiptId))
          refuse(
            409,
            'COSTING_DUPLICATE_ID',
            'Receipt named twice',
            field,
            'names the same receipt as another line',
          );
        seen.add(line.receiptId);
        if (!s)
          refuse(
            404,
            'COSTING_UNKNOWN_RECEIPT',
            'Unknown receipt',
            field,
            'is not a receipt costing has seen',
          );
        if (s.kind !== 'receipt')
          refuse(
            422,
            'COSTING_NOT_A_RECEIPT',
            'Not a receipt',
            field,
            `is a ${s.kind}, not a receipt from a supplier`,
          );
        if (s.status !== 'applied')
          refuse(
            409,
            'COSTING_RECEIPT_NOT_COSTED',
            'Receipt not costed yet',
            field,
            'waits to be costed; try again once it is',
          );
        return s;
      });
      await lockValuations(ctx, receipts);
      const at = await documentDate(ctx, body.date);
      receipts.forEach((r, i) => {
        if (at < r.at)
          refuse(
            422,
            'COSTING_INVALID_DATE',
            'Bill before its receipt',
            '/body/date',
            `is before receipt ${r.id} (line ${i}) of ${r.at}`,
          );
      });
      const bill = (await ctx.db.one<{ id: string; no: string }>(
        `insert into vendor_bills (reference, at, currency, rate, created_by) values ($1, $2, $3, $4, $5)
         returning id, no::text as no`,
        [body.reference ?? null, at, body.currency ?? null, body.rate ?? null, ctx.user.id],
      ))!;
      const position = await documentPosition(ctx, at, bill.no);
      const ids = await newIds(ctx, receipts.length);
      const newSteps: NewStep[] = receipts.map((r, i) => {
        const line = body.lines[i]!;
        return {
          id: ids[i]!,
          itemId: r.itemId,
          warehouseId: r.warehouseId,
          ...position,
          // A landed-cost-family step (see migration 0002); `input.bill` makes it a bill.
          kind: 'landed-cost',
          documentId: bill.id,
          ref: r.id,
          qty: null,
          unitCost: null,
          amount: null,
          input: {
            bill: {
              unitPrice: line.unitPrice,
              ...(line.qty !== undefined ? { qty: line.qty } : {}),
              ...(body.rate !== undefined ? { rate: body.rate } : {}),
            },
          },
          reference: body.reference ?? null,
        };
      });
      await ctx.db.query(
        `insert into vendor_bill_lines (bill_id, line_no, receipt_id, item_id, warehouse_id, qty, unit_price, step_id)
         select $1, x.line_no, x.receipt_id, x.item_id, x.warehouse_id, x.qty, x.unit_price, x.step_id
           from jsonb_to_recordset($2::jsonb) as x(line_no smallint, receipt_id uuid, item_id uuid, warehouse_id uuid,
                qty numeric, unit_price numeric, step_id uuid)`,
        [
          bill.id,
          JSON.stringify(
            receipts.map((r, i) => ({
              line_no: i,
              receipt_id: r.id,
              item_id: r.itemId,
              warehouse_id: r.warehouseId,
              qty: body.lines[i]!.qty ?? null,
              unit_price: body.lines[i]!.unitPrice,
              step_id: ids[i],
            })),
          ),
        ],
      );
      const lineOf = new Map(ids.map((id, i) => [id, i]));
      const run = await costSteps(ctx, newSteps);
      requireCosted(run, (step, field) => {
        const i = lineOf.get(step.id)!;
        const key = field === 'unitPrice' || field === 'qty' ? field : field === 'rate' ? null : 'receiptId';
        return key === null ? '/body/rate' : `/body/lines/${i}/${key}`;
      });
      await ctx.audit.record({
        action: 'costing.vendor-bill.posted',
        resource: 'vendor-bill',
        resourceId: bill.id,
        data: {
          receipts: receipts.map((r) => r.id),
          currency: body.currency ?? null,
          rate: body.rate ?? null,
        },
      });
      return readVendorBill(ctx, bill.id);
    },
  }),
  'POST /vendor-bills/:id/cancel': route({
    permission: 'costing.bills.write',
    summary: 'Cancel a vendor bill: its lines are removed and the valuations re-costed from their first step',
    params: IdParams,
    async handler(ctx, { params }) {
      await cancelDocument(ctx, {
        id: params.id,
        header: 'select cancelled_at is not null as cancelled from vendor_bills where id = $1 for update',
        cancelSql: 'update vendor_bills set cancelled_at = now() where id = $1',
        notFound: 'COSTING_VENDOR_BILL_NOT_FOUND',
        stepsSql:
          'select l.step_id as id from vendor_bill_lines l join steps s on s.id = l.step_id where l.bill_id = $1',
        action: 'costing.vendor-bill.cancelled',
      });
      return readVendorBill(ctx, params.id);
    },
  }),
  'GET /vendor-bills/:id': route({
    permission: 'costing.valuation.read',
    summary: 'A vendor bill: per line the difference, the on-hand adjustment and the price difference',
    params: IdParams,
    async handler(ctx, { params }) {
      const bill = await readVendorBill(ctx, params.id);
      if (!bill)
        refuse(404, 'COSTING_VENDOR_BILL_NOT_FOUND', 'Vendor bill not found', '/params/id', 'does not exist');
      return bill;
    },
  }),
};
