// Reorder suggestions: computed from the series' latest model (forecast and its error per period)
// and on-hand, stored with the model version, and applied only when a user accepts one.
import { notFound, type PluginRoute, route, schema } from '@erp/sdk';
import { reorderSuggestion } from '../engine/index.js';
import { demandOf, onHandOf } from '../history/index.js';
import { latestModel, predictionsOf, train } from '../models/index.js';
import { IdParams, refuse, ServiceLevel, settings, Uuid } from '../shared/index.js';

const Suggest = schema({
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'warehouseId'],
  properties: {
    itemId: Uuid,
    warehouseId: Uuid,
    serviceLevel: ServiceLevel,
    leadTime: { type: 'number', minimum: 0, maximum: 104, description: 'Supplier lead time in periods' },
    reviewPeriod: { type: 'number', exclusiveMinimum: 0, maximum: 104 },
    orderCost: { type: 'number', exclusiveMinimum: 0 },
    holdingCost: { type: 'number', exclusiveMinimum: 0 },
    minOrder: { type: 'number', minimum: 0 },
  },
} as const);

const ListQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ['open', 'accepted', 'dismissed'] }, itemId: Uuid },
} as const);

const COLUMNS = `id, item_id as "itemId", warehouse_id as "warehouseId", model_id as "modelId",
  model_version as "modelVersion", service_level::float8 as "serviceLevel", trim_scale(lead_time)::text as "leadTime",
  trim_scale(on_hand)::text as "onHand", trim_scale(lead_time_demand)::text as "leadTimeDemand",
  trim_scale(safety_stock)::text as "safetyStock", trim_scale(reorder_point)::text as "reorderPoint",
  trim_scale(order_qty)::text as "orderQty", explanation, status, decided_by as "decidedBy"`;

const up = (v: number) => String(Math.ceil(v - 1e-9));
const r3 = (v: number) => String(Math.round(v * 1000) / 1000);

async function decide(
  ctx: Parameters<PluginRoute['handler']>[0],
  id: string,
  status: 'accepted' | 'dismissed',
) {
  const row = await ctx.db.one<Record<string, string>>(
    `update suggestions set status = $2, decided_by = $3, decided_at = now() where id = $1 and status = 'open'
     returning ${COLUMNS}`,
    [id, status, ctx.user.id],
  );
  if (!row) {
    const exists = await ctx.db.one<{ status: string }>('select status from suggestions where id = $1', [id]);
    if (!exists) throw notFound('INSIGHTS_SUGGESTION_NOT_FOUND', 'Reorder suggestion');
    refuse(
      409,
      'INSIGHTS_SUGGESTION_DECIDED',
      'Suggestion already decided',
      '/params/id',
      `already ${exists.status}`,
    );
  }
  await ctx.audit.record({
    action: `insights.reorder-suggestion.${status}`,
    resource: 'reorder-suggestion',
    resourceId: id,
  });
  return row;
}

export const reorderRoutes: Record<string, PluginRoute> = {
  'POST /reorder-suggestions': route({
    permission: 'insights.suggestions.write',
    summary: 'Suggest a reorder point and quantity for an item in a warehouse from its forecast',
    body: Suggest,
    status: 201,
    async handler(ctx, { body }) {
      const s = settings(ctx);
      let model = await latestModel(ctx, body.itemId, body.warehouseId);
      if (!model && !(await demandOf(ctx, body.itemId, body.warehouseId)).length) {
        refuse(
          422,
          'INSIGHTS_INSUFFICIENT_HISTORY',
          'Not enough history',
          '/body/itemId',
          'no demand recorded for this item in this warehouse',
        );
      }
      if (!model) model = await train(ctx, body.itemId, body.warehouseId, 'request');
      if (model.status !== 'ok') {
        refuse(422, 'INSIGHTS_INSUFFICIENT_HISTORY', 'Not enough history', '/body/itemId', model.explanation);
      }
      const predictions = await predictionsOf(ctx, model.id, s.maxHorizon);
      const onHand = await onHandOf(ctx, body.itemId, body.warehouseId);
      const serviceLevel = body.serviceLevel ?? s.serviceLevel;
      const leadTime = body.leadTime ?? s.leadTime;
      if (leadTime > predictions.length) {
        refuse(
          422,
          'INSIGHTS_LEAD_TIME_TOO_LONG',
          'Lead time beyond the forecast',
          '/body/leadTime',
          `at most ${predictions.length} periods (the forecast horizon)`,
        );
      }
      const r = reorderSuggestion({
        point: predictions.map((p) => Number(p.point)),
        sigma: predictions.map((p) => Number(p.sigma)),
        leadTime,
        serviceLevel,
        // Compared with estimates (the reorder point) only; stored below exactly as it is.
        onHand: Number(onHand),
        reviewPeriod: body.reviewPeriod,
        orderCost: body.orderCost,
        holdingCost: body.holdingCost,
        minOrder: body.minOrder,
      });
      return ctx.db.one(
        `insert into suggestions (item_id, warehouse_id, model_id, model_version, service_level, lead_time, on_hand,
           lead_time_demand, safety_stock, reorder_point, order_qty, explanation)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning ${COLUMNS}`,
        [
          body.itemId,
          body.warehouseId,
          model.id,
          model.version,
          serviceLevel,
          leadTime,
          onHand,
          r3(r.leadTimeDemand),
          r3(r.safetyStock),
          up(r.reorderPoint),
          up(r.orderQuantity),
          `${model.model} v${model.version}: ${r.explanation}`,
        ],
      );
    },
  }),
  'GET /reorder-suggestions': route({
    permission: 'insights.forecasts.read',
    query: ListQuery,
    async handler(ctx, { query }) {
      const rows = await ctx.db.query(
        `select ${COLUMNS} from suggestions where ($1::text is null or status = $1) and ($2::uuid is null or item_id = $2)
          order by created_at desc limit 500`,
        [query.status ?? null, query.itemId ?? null],
      );
      return { suggestions: rows };
    },
  }),
  'POST /reorder-suggestions/:id/accept': route({
    permission: 'insights.suggestions.write',
    summary:
      'Accept a suggestion: announced as an event; the answer names the warehouses call that applies it',
    params: IdParams,
    async handler(ctx, { params }) {
      const row = await decide(ctx, params.id, 'accepted');
      const minQty = row.reorderPoint!;
      const reorderQty = row.orderQty!;
      await ctx.events.publish('reorder-suggestion.accepted', {
        suggestionId: row.id!,
        itemId: row.itemId!,
        warehouseId: row.warehouseId!,
        minQty,
        reorderQty,
        modelVersion: Number(row.modelVersion),
        serviceLevel: Number(row.serviceLevel),
      });
      return {
        ...row,
        apply: {
          method: 'PUT',
          path: '/api/v1/p/warehouses/reorder-points',
          permission: 'warehouses.reorder.write',
          body: { itemId: row.itemId, warehouseId: row.warehouseId, minQty, reorderQty },
        },
      };
    },
  }),
  'POST /reorder-suggestions/:id/dismiss': route({
    permission: 'insights.suggestions.write',
    params: IdParams,
    async handler(ctx, { params }) {
      return decide(ctx, params.id, 'dismissed');
    },
  }),
};
