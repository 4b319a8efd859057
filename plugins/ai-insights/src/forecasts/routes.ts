// The forecast for one item in one warehouse: its demand history, the latest model's predictions
// with their interval, and the model's version, metrics and explanation. A series whose model is
// missing or older than the last complete period is trained first, in this request.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { demandSeries, historyNeeded, periodStart } from '../engine/index.js';
import { demandOf } from '../history/index.js';
import { latestModel, predictionsOf, train } from '../models/index.js';
import { refuse, SeriesKey, SeriesQuery, settings } from '../shared/index.js';

const Query = schema(SeriesQuery);

const HistoryQuery = schema(SeriesKey);

export const forecastRoutes: Record<string, PluginRoute> = {
  'GET /history': route({
    permission: 'insights.forecasts.read',
    summary: 'The demand history of an item in a warehouse, per period, as this plugin has it',
    query: HistoryQuery,
    async handler(ctx, { query }) {
      const s = settings(ctx);
      const issues = await demandOf(ctx, query.itemId, query.warehouseId);
      const series = issues.length ? demandSeries(issues, s.period) : { periods: [], values: [] };
      return {
        period: s.period,
        issues: issues.length,
        history: series.periods.map((p, i) => ({ periodStart: p, qty: String(series.values[i]) })),
      };
    },
  }),
  'GET /forecast': route({
    permission: 'insights.forecasts.read',
    summary: 'Demand forecast with prediction interval for an item in a warehouse',
    query: Query,
    async handler(ctx, { query }) {
      const s = settings(ctx);
      const horizon = query.horizon ?? Math.min(12, s.maxHorizon);
      if (horizon > s.maxHorizon) {
        refuse(
          400,
          'INSIGHTS_HORIZON_TOO_LONG',
          'Horizon too long',
          '/query/horizon',
          `must be at most ${s.maxHorizon} ${s.period}s (the tenant's maxHorizon)`,
        );
      }
      const lastComplete = new Date(periodStart(Date.now(), s.period) - 1).toISOString();
      const issues = await demandOf(ctx, query.itemId, query.warehouseId);
      if (!issues.length) {
        // Nothing to learn from (or no such series for this tenant): say so, and store nothing.
        const { need } = historyNeeded(s.seasonLength);
        return {
          itemId: query.itemId,
          warehouseId: query.warehouseId,
          period: s.period,
          status: 'insufficient-history',
          model: null,
          message: `no demand recorded for this item in this warehouse; a forecast needs at least ${need} ${s.period}s of history`,
          history: [],
          forecast: [],
          level: s.level,
        };
      }
      let model = await latestModel(ctx, query.itemId, query.warehouseId);
      const stale =
        !model ||
        model.period !== s.period ||
        model.trainedTo === null ||
        model.trainedTo <
          new Date(periodStart(Date.parse(lastComplete), s.period)).toISOString().slice(0, 10);
      if (stale) model = await train(ctx, query.itemId, query.warehouseId, 'request');
      const history = demandSeries(issues, s.period, { to: lastComplete });
      const predictions = model!.status === 'ok' ? await predictionsOf(ctx, model!.id, horizon) : [];
      return {
        itemId: query.itemId,
        warehouseId: query.warehouseId,
        period: s.period,
        status: model!.status,
        model: model,
        message: model!.explanation,
        history: history.periods.map((p, i) => ({ periodStart: p, qty: String(history.values[i]) })),
        forecast: predictions,
        level: s.level,
      };
    },
  }),
};
