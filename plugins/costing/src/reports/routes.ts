// Read-only reports: the valuation at a date, COGS per issue, and the moves waiting to be costed.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { DateTime, IdParams, refuse, Uuid } from '../shared/index.js';
import { issueCogs, listCogs } from './cogs.js';
import { valuationHistory } from './history.js';
import { valuationReport } from './valuation.js';

const ValuationQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { asOf: DateTime, itemId: Uuid, warehouseId: Uuid },
} as const);

const HistoryQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    from: DateTime,
    to: DateTime,
    interval: { type: 'string', enum: ['day', 'week', 'month'], default: 'day' },
    itemId: Uuid,
    warehouseId: Uuid,
  },
} as const);

const CogsQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    warehouseId: Uuid,
    from: DateTime,
    to: DateTime,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 500 },
  },
} as const);

const StepsQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    itemId: Uuid,
    status: { type: 'string', enum: ['applied', 'waiting'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
  },
} as const);

export const reportRoutes: Record<string, PluginRoute> = {
  'GET /valuation': route({
    permission: 'costing.valuation.read',
    summary: 'Quantity and value per item and warehouse, now or at a date (asOf)',
    query: ValuationQuery,
    async handler(ctx, { query }) {
      return valuationReport(ctx, query ?? {});
    },
  }),
  'GET /valuation/history': route({
    permission: 'costing.valuation.read',
    summary:
      'Value and quantity of stock at the end of each day, week or month (from the first entry, or from)',
    query: HistoryQuery,
    async handler(ctx, { query }) {
      return valuationHistory(ctx, query ?? {});
    },
  }),
  'GET /issues/:id': route({
    permission: 'costing.valuation.read',
    summary: 'COGS of one issue (a warehouses issue move): at issue, corrections, returns, net',
    params: IdParams,
    async handler(ctx, { params }) {
      const row = await issueCogs(ctx, params.id);
      if (!row)
        refuse(
          404,
          'COSTING_UNKNOWN_ISSUE',
          'Unknown issue',
          '/params/id',
          'is not an issue costing has seen',
        );
      return row;
    },
  }),
  'GET /cogs': route({
    permission: 'costing.valuation.read',
    summary: 'COGS per issue over a period, and the period’s total COGS',
    query: CogsQuery,
    async handler(ctx, { query }) {
      return listCogs(ctx, query ?? {});
    },
  }),
  'GET /steps': route({
    permission: 'costing.valuation.read',
    summary: 'The costing steps (moves and documents) of an item, or every step waiting to be costed',
    query: StepsQuery,
    async handler(ctx, { query }) {
      const q = query ?? {};
      const steps = await ctx.db.query(
        `select id, item_id as "itemId", warehouse_id as "warehouseId", iso(at) as at, seq::text as seq, kind,
                ref, trim_scale(qty)::text as qty, trim_scale(unit_cost)::text as "unitCost",
                trim_scale(amount)::text as amount, status, error_code as "errorCode", error,
                trim_scale(resolved_unit_cost)::text as "resolvedUnitCost", warning
           from steps where ($1::uuid is null or item_id = $1) and ($2::text is null or status = $2)
          order by at, seq, ord limit $3`,
        [q.itemId ?? null, q.status ?? null, q.limit ?? 200],
      );
      return { steps };
    },
  }),
};
