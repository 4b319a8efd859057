// Training one series' model: the tenant's demand history (its own `moves` rows only; row-level
// security sees to that) through the engine, stored as the next version with its training window,
// metrics and drift, and the predictions it makes stored with that version. History runs to the
// last complete period: the current one is still filling and would read as a drop in demand.
import { demandSeries, forecast, forecastDrift, nextPeriod, periodStart } from '../engine/index.js';
import { demandOf } from '../history/index.js';
import { type Ctx, settings } from '../shared/index.js';
import { type ModelRow, modelById } from './store.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function train(
  ctx: Ctx,
  itemId: string,
  warehouseId: string,
  trainedBy: 'request' | 'schedule',
  now = Date.now(),
): Promise<ModelRow> {
  const s = settings(ctx);
  const issues = await demandOf(ctx, itemId, warehouseId);
  const current = periodStart(now, s.period);
  const to = current - 1;
  const series = issues.length
    ? demandSeries(issues, s.period, { to: new Date(to).toISOString() })
    : { periods: [], values: [] };
  const y = series.values;
  const result = forecast(y, { seasonLength: s.seasonLength, horizon: s.maxHorizon, level: s.level });
  const prev = await ctx.db.one<{
    id: string;
    version: number;
    mase: number | null;
    trainedTo: string | null;
  }>(
    `select id, version, (metrics->>'mase')::float8 as mase, trained_to::text as "trainedTo"
       from models where item_id = $1 and warehouse_id = $2 order by version desc limit 1`,
    [itemId, warehouseId],
  );
  let drift = null;
  if (prev?.mase != null && prev.trainedTo) {
    // What the previous version predicted for periods that have happened since.
    const before = await ctx.db.query<{ periodStart: string; point: string }>(
      `select period_start::text as "periodStart", point::text as point from predictions
        where model_id = $1 order by horizon`,
      [prev.id],
    );
    const index = new Map(series.periods.map((p, i) => [p, i]));
    const realised = before
      .filter((p) => index.has(p.periodStart))
      .map((p) => ({ actual: y[index.get(p.periodStart)!]!, forecast: Number(p.point) }));
    const trainedUpTo = index.get(prev.trainedTo);
    const d = forecastDrift(
      realised,
      trainedUpTo === undefined ? y : y.slice(0, trainedUpTo + 1),
      s.seasonLength,
      prev.mase,
    );
    drift = { ...d, previousVersion: prev.version };
  }
  const ok = result.status === 'ok';
  const row = await ctx.db.one<{ id: string }>(
    `insert into models (item_id, warehouse_id, version, status, model, params, period, season_length,
       trained_from, trained_to, history_periods, metrics, drift, explanation, trained_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id`,
    [
      itemId,
      warehouseId,
      (prev?.version ?? 0) + 1,
      result.status,
      ok ? result.model : null,
      JSON.stringify(ok ? result.params : {}),
      s.period,
      s.seasonLength,
      series.periods[0] ?? null,
      series.periods.at(-1) ?? null,
      y.length,
      ok
        ? JSON.stringify({
            mase: result.metrics.mase,
            mape: result.metrics.mape,
            rmse: result.metrics.rmse,
            origins: result.metrics.origins,
            skill: result.metrics.skill,
            naive: result.metrics.naive,
            seasonalNaive: result.metrics.seasonalNaive,
            candidates: result.candidates,
            pattern: result.pattern,
          })
        : null,
      drift === null ? null : JSON.stringify(drift),
      ok ? result.explanation : result.message,
      trainedBy,
    ],
  );
  if (ok) {
    let start = current;
    const starts = result.point.map(() => {
      const d = day(start);
      start = nextPeriod(start, s.period);
      return d;
    });
    await ctx.db.query(
      `insert into predictions (model_id, model_version, item_id, warehouse_id, period_start, horizon,
         point, lower, upper, sigma, level)
       select $1, $2, $3, $4, p.start::date, p.h, p.point, p.lower, p.upper, p.sigma, $5
         from unnest($6::text[], $7::int[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[])
           as p(start, h, point, lower, upper, sigma)`,
      [
        row!.id,
        (prev?.version ?? 0) + 1,
        itemId,
        warehouseId,
        s.level,
        starts,
        starts.map((_, i) => i + 1),
        result.point.map(round),
        result.lower.map(round),
        result.upper.map(round),
        result.sigma.map(round),
      ],
    );
  }
  return (await modelById(ctx, row!.id))!;
}

const round = (v: number) => String(Math.round(v * 1e6) / 1e6);
