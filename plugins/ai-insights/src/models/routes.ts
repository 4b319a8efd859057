// The models' governance view: every version of a series' model with its training window, metrics
// against the baselines and drift; and retraining on demand (through the same job as the cron).
import { type PluginRoute, route, schema } from '@erp/sdk';
import { SeriesKey, Uuid } from '../shared/index.js';
import { modelVersions } from './store.js';

const ModelsQuery = schema(SeriesKey);

const Retrain = schema({
  type: 'object',
  additionalProperties: false,
  properties: { itemId: Uuid, warehouseId: Uuid },
  dependentRequired: { itemId: ['warehouseId'], warehouseId: ['itemId'] },
} as const);

export const modelRoutes: Record<string, PluginRoute> = {
  'GET /models': route({
    permission: 'insights.forecasts.read',
    summary: "A series' model versions with training window, metrics and drift",
    query: ModelsQuery,
    async handler(ctx, { query }) {
      return { models: await modelVersions(ctx, query.itemId, query.warehouseId) };
    },
  }),
  'POST /models/retrain': route({
    permission: 'insights.models.write',
    summary: "Retrain one series' model, or every series of the tenant, in the background",
    body: Retrain,
    status: 202,
    async handler(ctx, { body }) {
      await ctx.jobs.enqueue('retrain', body ?? {});
      await ctx.audit.record({
        action: 'insights.models.retrain-requested',
        resource: 'model',
        data: body ?? {},
      });
      return { enqueued: true };
    },
  }),
};
