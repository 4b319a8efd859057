// An item's costing settings. A change of method is a step of every valuation of the item: with
// stock on hand it needs an explicit revaluation (the unit cost to carry the stock at), else the
// engine refuses (COSTING_REVALUATION_REQUIRED at /body/revaluation) and nothing changes. Currency
// decimals are fixed once the item is valued; negative stock cannot be turned off while it is
// negative; turning it on lets moves that waited for stock be costed.
import { notFound, type PluginRoute, route, schema } from '@erp/sdk';
import { documentDate, insertDocument, newIds } from '../documents/index.js';
import { itemSettings } from '../item-settings/index.js';
import { type Ctx, DateTime, dec, ItemMethod, ItemParams, refuse, Text, UnitCost } from '../shared/index.js';
import {
  costSteps,
  documentPosition,
  lockItemValuations,
  type NewStep,
  requireCosted,
  settleAll,
} from '../valuations/index.js';
import { readItem } from './read.js';

const Settings = schema({
  type: 'object',
  additionalProperties: false,
  required: ['method'],
  properties: {
    method: ItemMethod,
    standardPrice: { ...UnitCost, description: 'Required for standard cost' },
    currencyDecimals: { type: 'integer', minimum: 0, maximum: 12 },
    allowNegativeStock: { type: ['boolean', 'null'], description: "null: the tenant's setting" },
    revaluation: {
      type: 'object',
      additionalProperties: false,
      required: ['unitCost'],
      properties: { unitCost: UnitCost },
      description: 'Required to change the method with stock on hand: the unit cost to carry it at',
    },
    date: DateTime,
    reference: Text,
  },
} as const);

const throwUnknownItem = (): never => {
  throw notFound('COSTING_UNKNOWN_ITEM', 'Item', '/params/itemId');
};

const samePrice = (a: string | null, b: string | null) => a !== null && b !== null && dec(a).eq(dec(b));
const isNegative = (d: string) => d.startsWith('-') && !/^-0*(\.0*)?$/.test(d);

export const settingsRoutes: Record<string, PluginRoute> = {
  'GET /items/:itemId': route({
    permission: 'costing.valuation.read',
    summary:
      "An item's costing settings and its valuation in each warehouse (layers, pending, waiting moves)",
    params: ItemParams,
    async handler(ctx, { params }) {
      return (await readItem(ctx, params.itemId)) ?? throwUnknownItem();
    },
  }),
  'PUT /items/:itemId/settings': route({
    permission: 'costing.settings.write',
    summary: "Set an item's costing method, standard price, currency decimals and negative-stock policy",
    params: ItemParams,
    body: Settings,
    async handler(ctx, { params, body }) {
      const { itemId } = params;
      const current = await itemSettings(ctx, itemId);
      const valuations = await lockItemValuations(ctx, itemId);
      // Under every method the price is kept as the item's cost price: the first fallback cost of an
      // issue below zero with no cost history (issue 14); leaving standard cost keeps it.
      const standardPrice = body.standardPrice ?? current.standardPrice;
      if (body.method === 'standard' && standardPrice === null)
        refuse(
          422,
          'COSTING_INVALID_SETTING',
          'Standard price required',
          '/body/standardPrice',
          'is required for standard cost',
        );
      if (
        body.method !== 'standard' &&
        body.method === current.method &&
        body.standardPrice !== undefined &&
        !samePrice(standardPrice, current.standardPrice) &&
        valuations.length
      )
        refuse(
          422,
          'COSTING_USE_REVALUATION',
          'Change a valued item’s cost price by a revaluation',
          '/body/standardPrice',
          'the cost price of an item already valued changes with a method change, or (average cost) POST /revaluations',
        );
      const decimals = body.currencyDecimals ?? current.currencyDecimals;
      if (decimals !== current.currencyDecimals && valuations.length)
        refuse(
          409,
          'COSTING_CURRENCY_LOCKED',
          'Currency decimals are fixed',
          '/body/currencyDecimals',
          `the item is already valued with ${current.currencyDecimals} decimals`,
        );
      const changesMethod = body.method !== current.method;
      if (
        !changesMethod &&
        body.method === 'standard' &&
        !samePrice(standardPrice, current.standardPrice) &&
        valuations.length
      )
        refuse(
          422,
          'COSTING_USE_REVALUATION',
          'Change a standard price by a revaluation',
          '/body/standardPrice',
          'post the new standard price to /revaluations, which revalues the stock on hand',
        );
      if (!changesMethod && body.revaluation !== undefined)
        refuse(
          422,
          'COSTING_INVALID_INPUT',
          'Nothing to revalue for',
          '/body/revaluation',
          'is only for a change of method',
        );
      const allowNegative =
        body.allowNegativeStock === undefined
          ? current.negativeStockFrom === 'item'
            ? current.allowNegativeStock
            : null
          : body.allowNegativeStock;
      const effective = allowNegative ?? ctx.config.allowNegativeStock === true;
      if (!effective) {
        const negative = valuations.find((v) => isNegative(v.qty) || v.state.pending.length > 0);
        if (negative)
          refuse(
            422,
            'COSTING_PENDING_NEGATIVE_STOCK',
            'Stock is negative',
            '/body/allowNegativeStock',
            `warehouse ${negative.warehouseId} holds ${negative.qty}: receive stock before turning negative stock off`,
          );
      }

      if (changesMethod && valuations.length)
        await changeMethod(ctx, itemId, valuations, body, standardPrice);
      await ctx.db.query(
        `insert into item_settings (item_id, method, standard_price, currency_decimals, allow_negative_stock, updated_at,
                                    specific)
         values ($1, $2, $3, $4, $5, now(), $6)
         on conflict (tenant_id, item_id) do update set method = excluded.method, standard_price = excluded.standard_price,
           currency_decimals = excluded.currency_decimals, allow_negative_stock = excluded.allow_negative_stock,
           updated_at = now(), specific = excluded.specific`,
        [
          itemId,
          body.method === 'specific' ? 'fifo' : body.method,
          standardPrice,
          decimals,
          allowNegative,
          body.method === 'specific',
        ],
      );
      // Moves that waited (for stock, say) may be costable now.
      const stuck = valuations.filter((v) => v.waiting > 0);
      if (stuck.length) await settleAll(ctx, stuck);
      await ctx.audit.record({
        action: 'costing.settings.changed',
        resource: 'item',
        resourceId: itemId,
        data: {
          method: body.method,
          standardPrice,
          currencyDecimals: decimals,
          allowNegativeStock: allowNegative,
        },
      });
      return readItem(ctx, itemId);
    },
  }),
};

async function changeMethod(
  ctx: Ctx,
  itemId: string,
  valuations: { itemId: string; warehouseId: string }[],
  body: { method: string; revaluation?: { unitCost: string }; date?: string; reference?: string },
  standardPrice: string | null,
) {
  const at = await documentDate(ctx, body.date);
  const doc = await insertDocument(ctx, {
    kind: 'method-change',
    reference: body.reference ?? null,
    at,
    itemId,
    method: body.method,
    unitCost: body.revaluation?.unitCost ?? null,
  });
  const position = await documentPosition(ctx, at, doc.no);
  const ids = await newIds(ctx, valuations.length);
  const input = {
    method: body.method,
    ...(standardPrice !== null ? { standardPrice } : {}),
    ...(body.revaluation ? { revaluation: body.revaluation } : {}),
  };
  const steps: NewStep[] = valuations.map((v, i) => ({
    id: ids[i]!,
    itemId,
    warehouseId: v.warehouseId,
    ...position,
    kind: 'method-change',
    documentId: doc.id,
    ref: null,
    qty: null,
    unitCost: null,
    amount: null,
    input,
    reference: body.reference ?? null,
  }));
  const run = await costSteps(ctx, steps);
  requireCosted(run, (_step, field) => (field ? `/body/${field}` : '/body'));
}
