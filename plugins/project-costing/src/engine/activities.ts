// Time-phased earned value from an activity table. Conventions (see README "EVM conventions"):
// - PV: an activity's planned cost is spread linearly over its working days (Monday–Friday, both
//   ends included); figures are "at the end of the status date". An activity with no working day
//   (all on a weekend) spreads over its calendar days instead.
// - EV: planned cost × the percent complete last reported on or before the status date.
// - AC: actual costs dated on or before the status date; costs not booked to an activity count for
//   the project but for no activity.
// - BAC: the sum of the activities' planned costs (the current baseline, change orders included).
import { calendarDays, isIsoDate, workingDays } from './calendar.js';
import { type Dec, dec, HUNDRED, isDecimalString, ratio, str, sum, ZERO } from './decimal.js';
import { refuse } from './errors.js';
import { earnedValue, type Metrics } from './metrics.js';

export interface Progress {
  asOf: string;
  /** Percent complete, 0–100, a decimal string. */
  percent: string;
}

export interface Activity {
  id: string;
  code?: string;
  startsOn: string;
  endsOn: string;
  /** Planned cost (budget at completion of the activity), a decimal string ≥ 0. */
  plannedCost: string;
  progress: readonly Progress[];
}

export interface ActualCost {
  activityId: string | null;
  on: string;
  amount: string;
}

export interface Plan {
  activities: readonly Activity[];
  actuals: readonly ActualCost[];
}

/** Checks one activity (dates, planned cost, progress); `at` prefixes the fields named. */
export function checkActivity(a: Activity, at = '', project?: { startsOn: string; endsOn: string }) {
  if (!isIsoDate(a.startsOn)) refuse(400, 'PROJECT_INVALID_DATE', `${at}startsOn`, 'must be a date');
  if (!isIsoDate(a.endsOn)) refuse(400, 'PROJECT_INVALID_DATE', `${at}endsOn`, 'must be a date');
  if (a.endsOn < a.startsOn)
    refuse(422, 'PROJECT_DATES_REVERSED', `${at}endsOn`, 'must not be before startsOn');
  if (project) {
    if (a.startsOn < project.startsOn)
      refuse(
        422,
        'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
        `${at}startsOn`,
        `must not be before the project starts (${project.startsOn})`,
      );
    if (a.endsOn > project.endsOn)
      refuse(
        422,
        'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
        `${at}endsOn`,
        `must not be after the project ends (${project.endsOn})`,
      );
  }
  if (!isDecimalString(a.plannedCost) || dec(a.plannedCost).lt(ZERO))
    refuse(422, 'PROJECT_INVALID_PLANNED_COST', `${at}plannedCost`, 'must be a decimal ≥ 0');
  for (const [i, p] of a.progress.entries()) checkPercent(p.percent, `${at}progress/${i}/percent`);
}

export function checkPercent(percent: string, field = 'percentComplete') {
  if (!isDecimalString(percent) || dec(percent).lt(ZERO) || dec(percent).gt(HUNDRED))
    refuse(422, 'PROJECT_PERCENT_OUT_OF_RANGE', field, 'must be between 0 and 100');
}

/** The activity's planned value at the end of `date`. */
export function plannedValueAt(a: Activity, date: string): Dec {
  const planned = dec(a.plannedCost);
  if (date < a.startsOn) return ZERO;
  if (date >= a.endsOn) return planned;
  let total = workingDays(a.startsOn, a.endsOn);
  let done = workingDays(a.startsOn, date);
  if (total === 0) {
    total = calendarDays(a.startsOn, a.endsOn);
    done = calendarDays(a.startsOn, date);
  }
  return planned.times(dec(String(done))).div(dec(String(total)));
}

/** The percent complete last reported on or before `date` (0 before the first report). */
export function percentAt(a: Activity, date: string): Dec {
  let best: Progress | undefined;
  for (const p of a.progress) if (p.asOf <= date && (!best || p.asOf >= best.asOf)) best = p;
  return best ? dec(best.percent) : ZERO;
}

export const earnedValueAt = (a: Activity, date: string): Dec =>
  dec(a.plannedCost).times(percentAt(a, date)).div(HUNDRED);

const actualAt = (actuals: readonly ActualCost[], date: string, activityId?: string) =>
  sum(
    actuals
      .filter((x) => x.on <= date && (activityId === undefined || x.activityId === activityId))
      .map((x) => dec(x.amount)),
  );

export interface ActivityMetrics {
  activityId: string;
  code?: string;
  metrics: Metrics;
}

export interface PlanMetrics {
  asOf: string;
  project: Metrics;
  activities: ActivityMetrics[];
}

const figures = (bac: Dec, pv: Dec, ev: Dec, ac: Dec) =>
  earnedValue({ bac: str(bac), pv: str(pv), ev: str(ev), ac: str(ac) });

/** Earned value of the project and of each activity at the end of `asOf`. */
export function planMetrics(plan: Plan, asOf: string): PlanMetrics {
  if (!isIsoDate(asOf)) refuse(400, 'PROJECT_INVALID_DATE', 'asOf', 'must be a date');
  for (const [i, a] of plan.activities.entries()) checkActivity(a, `activities/${i}/`);
  const activities = plan.activities.map((a) => ({
    activityId: a.id,
    ...(a.code === undefined ? {} : { code: a.code }),
    metrics: figures(
      dec(a.plannedCost),
      plannedValueAt(a, asOf),
      earnedValueAt(a, asOf),
      actualAt(plan.actuals, asOf, a.id),
    ),
  }));
  const project = figures(
    sum(activities.map((a) => a.metrics.bac)),
    sum(activities.map((a) => a.metrics.pv)),
    sum(activities.map((a) => a.metrics.ev)),
    actualAt(plan.actuals, asOf),
  );
  return { asOf, project, activities };
}

export interface CurvePoint {
  date: string;
  pv: Dec;
  /** EV and AC are known only up to the status date: null after it. */
  ev: Dec | null;
  ac: Dec | null;
}

/** The S-curve: cumulative PV, EV and AC at each of `dates` (EV and AC only up to `asOf`). */
export function sCurve(plan: Plan, dates: readonly string[], asOf: string): CurvePoint[] {
  return dates.map((date) => {
    const pv = sum(plan.activities.map((a) => plannedValueAt(a, date)));
    if (date > asOf) return { date, pv, ev: null, ac: null };
    return {
      date,
      pv,
      ev: sum(plan.activities.map((a) => earnedValueAt(a, date))),
      ac: actualAt(plan.actuals, date),
    };
  });
}

/** Percent complete of the whole plan, weighted by planned cost (EV / BAC × 100). */
export const planPercent = (m: Metrics): Dec | null => ratio(m.ev.times(HUNDRED), m.bac);
