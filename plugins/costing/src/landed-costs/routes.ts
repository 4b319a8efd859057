// Landed costs (freight, duty, insurance) against receipts, possibly of several items and
// warehouses: split over the receipt lines equally or by quantity, purchase value, weight or
// volume (the rounding leftover on the last line), then each line's share is a step of its
// receipt's valuation: capitalised for the units still on hand, COGS for those already issued
// (standard cost: a variance). Anything refused leaves nothing behind.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { documentDate, insertDocument, newIds } from '../documents/index.js';
import { allocateLandedCost, CostingError } from '../engine/index.js';
import { costingProblem, DateTime, Decimal, IdParams, refuse, Text, Uuid } from '../shared/index.js';
import {
  cancelDocument,
  costSteps,
  documentPosition,
  getSteps,
  lockValuations,
  type NewStep,
  readReceipt,
  requireCosted,
} from '../valuations/index.js';
import { readLandedCost } from './read.js';

const Measure = { type: 'string', pattern: '^[0-9]{1,20}(\\.[0-9]{1,30})?$' } as const;

const LandedCost = schema({
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'split', 'lines'],
  properties: {
    reference: Text,
    date: DateTime,
    amount: { ...Decimal, description: 'Total to allocate, at most the currency minor unit' },
    split: { type: 'string', enum: ['equal', 'quantity', 'value', 'weight', 'volume'] },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['receiptId'],
        properties: {
          receiptId: { ...Uuid, description: 'The receipt move (warehouses ledger) the cost lands on' },
          weight: { ...Measure, description: "The receipt line's total weight (split weight)" },
          volume: { ...Measure, description: "The receipt line's total volume (split volume)" },
        },
      },
    },
  },
} as const);

export const landedCostRoutes: Record<string, PluginRoute> = {
  'POST /landed-costs': route({
    permission: 'costing.landed-costs.write',
    summary: 'Allocate a landed cost over receipt lines and cost it into their valuations',
    body: LandedCost,
    status: 201,
    async handler(ctx, { body }) {
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
        // A transfer in is a receipt into its warehouse (ERPNext's landed cost voucher takes a
        // material transfer too): freight between warehouses is capitalised there.
        if (s.kind !== 'receipt' && s.kind !== 'transfer-in')
          refuse(
            422,
            'COSTING_NOT_A_RECEIPT',
            'Not a receipt',
            field,
            `is a ${s.kind}, not a receipt from a supplier or a transfer in`,
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
      const valuations = await lockValuations(ctx, receipts);
      const decimals = new Set([...valuations.values()].map((v) => v.initial.currencyDecimals));
      if (decimals.size > 1)
        refuse(
          422,
          'COSTING_CURRENCY_MISMATCH',
          'Receipts in different currencies',
          '/body/lines',
          'the receipts are valued with different currency decimals',
        );
      const currencyDecimals = [...decimals][0]!;
      const at = await documentDate(ctx, body.date);
      const records = await Promise.all(receipts.map((r) => readReceipt(ctx, r.id)));
      receipts.forEach((r, i) => {
        if (at < r.at)
          refuse(
            422,
            'COSTING_INVALID_DATE',
            'Landed cost before its receipt',
            '/body/date',
            `is before receipt ${r.id} (line ${i}) of ${r.at}`,
          );
      });
      let shares: string[];
      try {
        shares = allocateLandedCost({
          amount: body.amount,
          split: body.split,
          currencyDecimals,
          lines: body.lines.map((l, i) => ({
            qty: records[i]!.qty,
            value: records[i]!.value,
            ...(l.weight !== undefined ? { weight: l.weight } : {}),
            ...(l.volume !== undefined ? { volume: l.volume } : {}),
          })),
        });
      } catch (err) {
        if (err instanceof CostingError) throw costingProblem(err, (f) => `/body/${f}`);
        throw err;
      }

      const doc = await insertDocument(ctx, {
        kind: 'landed-cost',
        reference: body.reference ?? null,
        at,
        amount: body.amount,
        split: body.split,
      });
      const position = await documentPosition(ctx, at, doc.no);
      // Landed cost after a sale (issue 14), per tenant: 'expense' (Odoo, the default) costs it at its
      // date, the sold units' share to COGS then; 'recost' (ERPNext) places each line right after its
      // receipt in ledger order, so the receipt is valued with it from the start and every later
      // step (the past issues included) is re-costed: the back-dated re-cost the pipeline already does.
      const recost = ctx.config.landedCostAfterSale === 'recost';
      const ids = await newIds(ctx, receipts.length);
      const lineOf = new Map<string, number>();
      const newSteps: NewStep[] = [];
      receipts.forEach((r, i) => {
        if (/^0+(\.0+)?$/.test(shares[i]!)) return; // a zero basis carries nothing
        lineOf.set(ids[i]!, i);
        newSteps.push({
          id: ids[i]!,
          itemId: r.itemId,
          warehouseId: r.warehouseId,
          ...(recost ? { at: r.at, seq: r.seq, ord: doc.no } : position),
          kind: 'landed-cost',
          documentId: doc.id,
          ref: r.id,
          qty: null,
          unitCost: null,
          amount: shares[i]!,
          reference: body.reference ?? null,
        });
      });
      await ctx.db.query(
        `insert into landed_cost_lines (landed_cost_id, line_no, receipt_id, item_id, warehouse_id, weight, volume, share, step_id)
         select $1, x.line_no, x.receipt_id, x.item_id, x.warehouse_id, x.weight, x.volume, x.share, x.step_id
           from jsonb_to_recordset($2::jsonb) as x(line_no smallint, receipt_id uuid, item_id uuid, warehouse_id uuid,
                weight numeric, volume numeric, share numeric, step_id uuid)`,
        [
          doc.id,
          JSON.stringify(
            receipts.map((r, i) => ({
              line_no: i,
              receipt_id: r.id,
              item_id: r.itemId,
              warehouse_id: r.warehouseId,
              weight: body.lines[i]!.weight ?? null,
              volume: body.lines[i]!.volume ?? null,
              share: shares[i],
              step_id: lineOf.has(ids[i]!) ? ids[i] : null,
            })),
          ),
        ],
      );
      const run = await costSteps(ctx, newSteps);
      requireCosted(run, (step, field) => {
        const i = lineOf.get(step.id)!;
        const rest = field.replace(/^lines\/0\/?/, '');
        return rest === '' || rest === field ? `/body/lines/${i}` : `/body/lines/${i}/${rest}`;
      });
      await ctx.audit.record({
        action: 'costing.landed-cost.posted',
        resource: 'landed-cost',
        resourceId: doc.id,
        data: { amount: body.amount, split: body.split, receipts: receipts.map((r) => r.id), shares },
      });
      return readLandedCost(ctx, doc.id);
    },
  }),
  'POST /landed-costs/:id/cancel': route({
    permission: 'costing.landed-costs.write',
    summary: 'Cancel a landed cost: its lines are removed and the valuations re-costed from their first step',
    params: IdParams,
    async handler(ctx, { params }) {
      await cancelDocument(ctx, {
        id: params.id,
        header: `select cancelled_at is not null as cancelled from documents where id = $1 and kind = 'landed-cost' for update`,
        cancelSql: 'update documents set cancelled_at = now() where id = $1',
        notFound: 'COSTING_LANDED_COST_NOT_FOUND',
        stepsSql: `select l.step_id as id from landed_cost_lines l join documents d on d.id = l.landed_cost_id
          where l.landed_cost_id = $1 and d.kind = 'landed-cost' and l.step_id is not null`,
        action: 'costing.landed-cost.cancelled',
      });
      return readLandedCost(ctx, params.id);
    },
  }),
  'GET /landed-costs/:id': route({
    permission: 'costing.valuation.read',
    summary: 'A landed cost: each line’s share, and how much was capitalised and expensed',
    params: IdParams,
    async handler(ctx, { params }) {
      const lc = await readLandedCost(ctx, params.id);
      if (!lc)
        refuse(404, 'COSTING_LANDED_COST_NOT_FOUND', 'Landed cost not found', '/params/id', 'does not exist');
      return lc;
    },
  }),
};
