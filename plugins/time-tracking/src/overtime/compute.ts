// Overtime, a pure function over the hours a person worked per day. Daily first: hours beyond the
// daily threshold on a day are overtime. Then weekly: the regular hours (what the daily rule left)
// are accumulated through the week in date order, and those beyond the weekly threshold are
// overtime too, on the days that cross it. An hour is overtime once, never twice (the rule the
// US FLSA with a California-style daily limit gives). Time off is not work and is not passed in.
// Hours of one day are summed first, so a reversing entry cancels the one it reverses.
import { type Dec, dec, max, min, str, sum, ZERO } from '../shared/index.js';

export interface WorkedHours {
  /** YYYY-MM-DD */
  date: string;
  /** Decimal string; negative for a reversing entry. */
  hours: string;
}

export interface OvertimePolicy {
  /** Hours per day before overtime; null = no daily rule. */
  dailyThreshold?: string | null;
  /** Regular hours per week before overtime; null = no weekly rule. */
  weeklyThreshold?: string | null;
  /** First day of the week, ISO numbering: 1 = Monday … 7 = Sunday. Default 1. */
  weekStartsOn?: number;
}

export interface OvertimeDay {
  date: string;
  weekStart: string;
  worked: string;
  regular: string;
  dailyOvertime: string;
  weeklyOvertime: string;
  overtime: string;
}

export interface OvertimeWeek {
  weekStart: string;
  worked: string;
  regular: string;
  overtime: string;
}

export interface OvertimeResult {
  days: OvertimeDay[];
  weeks: OvertimeWeek[];
  totals: { worked: string; regular: string; overtime: string };
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function weekStartOf(date: string, weekStartsOn = 1): string {
  return addDays(date, -((isoWeekday(date) - weekStartsOn + 7) % 7));
}

export function computeOvertime(
  entries: readonly WorkedHours[],
  policy: OvertimePolicy = {},
): OvertimeResult {
  const byDay = new Map<string, Dec>();
  for (const e of entries) byDay.set(e.date, (byDay.get(e.date) ?? ZERO).plus(dec(e.hours)));
  const daily = policy.dailyThreshold == null ? null : dec(policy.dailyThreshold);
  const weekly = policy.weeklyThreshold == null ? null : dec(policy.weeklyThreshold);
  const start = policy.weekStartsOn ?? 1;

  const days: OvertimeDay[] = [];
  const weeks = new Map<string, { worked: Dec; regular: Dec; overtime: Dec }>();
  for (const date of [...byDay.keys()].sort()) {
    const worked = max(byDay.get(date)!, ZERO); // a day cannot be worked negatively
    const dailyOt = daily ? max(worked.minus(daily), ZERO) : ZERO;
    let regular = worked.minus(dailyOt);
    const weekStart = weekStartOf(date, start);
    const week = weeks.get(weekStart) ?? { worked: ZERO, regular: ZERO, overtime: ZERO };
    let weeklyOt = ZERO;
    if (weekly) {
      const room = max(weekly.minus(week.regular), ZERO);
      weeklyOt = max(regular.minus(room), ZERO);
      regular = min(regular, room);
    }
    const overtime = dailyOt.plus(weeklyOt);
    weeks.set(weekStart, {
      worked: week.worked.plus(worked),
      regular: week.regular.plus(regular),
      overtime: week.overtime.plus(overtime),
    });
    days.push({
      date,
      weekStart,
      worked: str(worked),
      regular: str(regular),
      dailyOvertime: str(dailyOt),
      weeklyOvertime: str(weeklyOt),
      overtime: str(overtime),
    });
  }
  const weekRows = [...weeks.entries()].map(([weekStart, w]) => ({
    weekStart,
    worked: str(w.worked),
    regular: str(w.regular),
    overtime: str(w.overtime),
  }));
  const total = (k: 'worked' | 'regular' | 'overtime') => str(sum([...weeks.values()].map((w) => w[k])));
  return {
    days,
    weeks: weekRows,
    totals: { worked: total('worked'), regular: total('regular'), overtime: total('overtime') },
  };
}
