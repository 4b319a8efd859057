// Earned value, the S-curve, profitability and the forecast to completion of a project at a status
// date, built on the engines: the routes only load the plan and present the result (money rounded
// half-up to the project currency's minor unit, ratios unrounded).
import { type PluginRoute, route } from '@erp/sdk';
import {
  addDays,
  dec,
  forecastFinish,
  minorUnit,
  money,
  planMetrics,
  presentMetrics,
  profitability,
  sCurve,
  str,
  sum,
} from '../engine/index.js';
import { AsOfQuery, type Ctx, engine, IdParams, today } from '../shared/index.js';
import { loadPlan } from './load.js';

const opt = (d: ReturnType<typeof dec> | null, f: (d: ReturnType<typeof dec>) => string) =>
  d === null ? null : f(d);

/** The project's metrics at `asOf` (unrounded) and the response the EVM route gives. */
async function evm(ctx: Ctx, id: string, asOf: string) {
  const { project, activities, plan } = await loadPlan(ctx, id);
  const metrics = engine('/query/', () => planMetrics(plan, asOf));
  const decimals = minorUnit(project.currency);
  const forecast = forecastFinish(project.startsOn, project.endsOn, metrics.project);
  const response = {
    projectId: project.id,
    code: project.code,
    currency: project.currency,
    asOf,
    project: presentMetrics(metrics.project, decimals),
    activities: metrics.activities.map((a) => {
      const row = activities.find((x) => x.id === a.activityId)!;
      return {
        activityId: a.activityId,
        code: row.code,
        name: row.name,
        startsOn: row.startsOn,
        endsOn: row.endsOn,
        ...presentMetrics(a.metrics, decimals),
      };
    }),
    forecast,
  };
  return { project, metrics, forecast, response };
}

/**
 * Dates for the S-curve: the project's start, then every `step` days (daily up to 60 points, so the
 * category axis stays close to proportional), its end and the status date.
 */
function curveDates(startsOn: string, endsOn: string, asOf: string): string[] {
  const last = asOf > endsOn ? asOf : endsOn;
  const span = Math.round((Date.parse(last) - Date.parse(startsOn)) / 86_400_000);
  const step = Math.max(1, Math.ceil(span / 60));
  const dates = new Set<string>();
  for (let d = startsOn; d <= last; d = addDays(d, step)) dates.add(d);
  dates.add(endsOn);
  if (asOf >= startsOn) dates.add(asOf);
  return [...dates].sort();
}

export const reportRoutes: Record<string, PluginRoute> = {
  'GET /projects/:id/evm': route({
    permission: 'projects.projects.read',
    summary:
      'Earned value (PV, EV, AC, CV, SV, CPI, SPI, three EACs, ETC, VAC, TCPI) per project and activity',
    params: IdParams,
    query: AsOfQuery,
    async handler(ctx, { params, query }) {
      return (await evm(ctx, params.id, query.asOf ?? today())).response;
    },
  }),
  'GET /projects/:id/s-curve': route({
    permission: 'projects.projects.read',
    summary:
      'Cumulative PV, EV and AC over the project (EV and AC up to the status date) and the forecast (EAC at the forecast finish)',
    params: IdParams,
    query: AsOfQuery,
    async handler(ctx, { params, query }) {
      const asOf = query.asOf ?? today();
      const { project, plan } = await loadPlan(ctx, params.id);
      const decimals = minorUnit(project.currency);
      const $ = (d: ReturnType<typeof dec>) => money(d, decimals);
      // The forecast: from AC at the status date to EAC (BAC / CPI) at the forecast finish, which
      // gets a point of its own when it falls after the plan's last date.
      const now = engine('/query/', () => planMetrics(plan, asOf)).project;
      const finish = forecastFinish(project.startsOn, project.endsOn, now).forecastFinish;
      const dates = curveDates(project.startsOn, project.endsOn, asOf);
      if (finish && finish > dates.at(-1)!) dates.push(finish);
      const points = sCurve(plan, dates, asOf);
      return {
        projectId: project.id,
        currency: project.currency,
        asOf,
        bac: $(sum(plan.activities.map((a) => dec(a.plannedCost)))),
        forecast: { finish, eac: opt(now.atCpi.eac, $) },
        points: points.map((p) => ({ date: p.date, pv: $(p.pv), ev: opt(p.ev, $), ac: opt(p.ac, $) })),
      };
    },
  }),
  'GET /projects/:id/profitability': route({
    permission: 'projects.projects.read',
    summary: 'Revenue, cost and margin to date and forecast at completion',
    params: IdParams,
    query: AsOfQuery,
    async handler(ctx, { params, query }) {
      const asOf = query.asOf ?? today();
      const { project: p, metrics, forecast } = await evm(ctx, params.id, asOf);
      const billed = await ctx.db.one<{ v: string }>(
        `select coalesce(sum(amount), 0)::text as v from milestones where project_id = $1 and billed_on <= $2`,
        [p.id, asOf],
      );
      const r = profitability(p.billing, dec(p.contractValue), dec(billed!.v), metrics.project);
      const $ = (d: ReturnType<typeof dec>) => money(d, minorUnit(p.currency));
      const byKind = (await ctx.db.query(
        `select kind, sum(amount)::text as amount from actuals where project_id = $1 and incurred_on <= $2 group by kind order by kind`,
        [p.id, asOf],
      )) as unknown as { kind: string; amount: string }[];
      return {
        projectId: p.id,
        currency: p.currency,
        billing: p.billing,
        asOf,
        contractValue: $(r.contractValue),
        billed: $(r.billed),
        revenue: $(r.revenue),
        cost: $(r.cost),
        costByKind: Object.fromEntries(byKind.map((k) => [k.kind, $(dec(k.amount))])),
        margin: $(r.margin),
        marginPercent: opt(r.marginPercent, str),
        forecastCost: opt(r.forecastCost, $),
        forecastMargin: opt(r.forecastMargin, $),
        forecast,
      };
    },
  }),
};
