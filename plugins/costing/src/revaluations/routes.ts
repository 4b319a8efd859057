// Revaluations. Under standard cost: a new standard price, for the item in every warehouse (its
// stock is revalued to it, and receipts from then on are carried at it). Under FIFO, LIFO and
// average: every warehouse's stock to a new unit cost, or one warehouse's stock by an amount.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { documentDate, insertDocument, newIds } from '../documents/index.js';
import { itemSettings } from '../item-settings/index.js';
import { DateTime, Decimal, refuse, Text, UnitCost, Uuid } from '../shared/index.js';
import {
  costSteps,
  documentPosition,
  lockItemValuations,
  type NewStep,
  requireCosted,
} from '../valuations/index.js';

const Revaluation = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId'],
  properties: {
    itemId: Uuid,
    warehouseId: { ...Uuid, description: 'Only this warehouse (required with amount)' },
    unitCost: { ...UnitCost, description: 'The new unit cost (under standard cost, the new standard price)' },
    amount: { ...Decimal, description: 'Value to add (negative: take) to one warehouse’s stock' },
    date: DateTime,
    reference: Text,
  },
} as const);

const positive = (d: string) => !/^-?0*(\.0*)?$/.test(d) && !d.startsWith('-');

export const revaluationRoutes: Record<string, PluginRoute> = {
  'POST /revaluations': route({
    permission: 'costing.revaluations.write',
    summary: 'Revalue an item’s stock, or set a new standard price',
    body: Revaluation,
    status: 201,
    async handler(ctx, { body }) {
      if ((body.unitCost === undefined) === (body.amount === undefined))
        refuse(
          400,
          'COSTING_INVALID_INPUT',
          'Unit cost or amount',
          '/body/unitCost',
          'give exactly one of unitCost or amount',
        );
      const settings = await itemSettings(ctx, body.itemId);
      const all = await lockItemValuations(ctx, body.itemId);
      const standard = settings.method === 'standard';
      if (standard && body.amount !== undefined)
        refuse(
          422,
          'COSTING_INVALID_INPUT',
          'Standard cost is revalued by price',
          '/body/amount',
          'under standard cost, revalue by a new standard price (unitCost)',
        );
      if (standard && body.warehouseId !== undefined)
        refuse(
          422,
          'COSTING_INVALID_INPUT',
          'A standard price is the item’s',
          '/body/warehouseId',
          'a standard price holds in every warehouse: leave warehouseId out',
        );
      if (body.amount !== undefined && body.warehouseId === undefined)
        refuse(
          422,
          'COSTING_INVALID_INPUT',
          'An amount revalues one warehouse',
          '/body/warehouseId',
          'is required with amount',
        );
      let targets = all;
      if (body.warehouseId !== undefined) {
        targets = all.filter((v) => v.warehouseId === body.warehouseId);
        if (!targets.length)
          refuse(
            404,
            'COSTING_UNKNOWN_VALUATION',
            'Nothing valued there',
            '/body/warehouseId',
            'the item has no stock valuation in this warehouse',
          );
      } else if (!standard) {
        // Average cost takes a new unit cost with nothing on hand (issue 14): it revalues nothing
        // and prices the next issues, so every warehouse gets it.
        targets =
          settings.method === 'average' && body.unitCost !== undefined
            ? all
            : all.filter((v) => positive(v.qty));
        if (!targets.length)
          refuse(
            422,
            'COSTING_NO_STOCK_TO_REVALUE',
            'Nothing on hand',
            '/body/unitCost',
            'nothing is on hand to revalue',
          );
      }

      const at = await documentDate(ctx, body.date);
      const doc = await insertDocument(ctx, {
        kind: 'revaluation',
        reference: body.reference ?? null,
        at,
        itemId: body.itemId,
        unitCost: body.unitCost ?? null,
        amount: body.amount ?? null,
      });
      const position = await documentPosition(ctx, at, doc.no);
      const ids = await newIds(ctx, targets.length);
      const input = body.unitCost !== undefined ? { unitCost: body.unitCost } : { amount: body.amount! };
      const steps: NewStep[] = targets.map((v, i) => ({
        id: ids[i]!,
        itemId: body.itemId,
        warehouseId: v.warehouseId,
        ...position,
        kind: 'revaluation',
        documentId: doc.id,
        ref: null,
        qty: null,
        unitCost: body.unitCost ?? null,
        amount: body.amount ?? null,
        input,
        reference: body.reference ?? null,
      }));
      const run = await costSteps(ctx, steps);
      requireCosted(run, (_s, field) => (field ? `/body/${field}` : '/body'));
      if (standard || (settings.method === 'average' && body.unitCost !== undefined)) {
        // The standard price, or the average item's cost price (its fallback cost below zero).
        await ctx.db.query(
          'update item_settings set standard_price = $2, updated_at = now() where item_id = $1',
          [body.itemId, body.unitCost!],
        );
      }
      await ctx.audit.record({
        action: 'costing.revaluation.posted',
        resource: 'revaluation',
        resourceId: doc.id,
        data: {
          itemId: body.itemId,
          warehouseId: body.warehouseId ?? null,
          unitCost: body.unitCost ?? null,
          amount: body.amount ?? null,
        },
      });
      const lines = await ctx.db.query(
        `select s.warehouse_id as "warehouseId", trim_scale(coalesce(sum(e.revaluation), 0))::text as change,
                trim_scale(v.qty)::text as qty, trim_scale(v.value)::text as value
           from steps s join valuations v on v.item_id = s.item_id and v.warehouse_id = s.warehouse_id
           left join entries e on e.step_id = s.id
          where s.document_id = $1 group by s.warehouse_id, v.qty, v.value order by s.warehouse_id`,
        [doc.id],
      );
      return {
        id: doc.id,
        itemId: body.itemId,
        date: at,
        unitCost: body.unitCost ?? null,
        amount: body.amount ?? null,
        lines,
      };
    },
  }),
};
