// Utilization of a person over a period: approved hours (reversals net) over capacity, in total
// and billable only, against the person's target; and bench time: capacity no allocation books.
// Ratios are unrounded decimals (10 places); null when there is no capacity to divide by.
import { dec, HUNDRED, str, sum, ZERO } from '../shared/index.js';
import type { LoadDay } from './load.js';

export interface WorkedDay {
  date: string;
  hours: string;
  billable: boolean;
}

export interface Utilization {
  capacity: string;
  worked: string;
  billable: string;
  /** worked ÷ capacity */
  utilization: string | null;
  /** billable ÷ capacity */
  billableUtilization: string | null;
  /** target percent ÷ 100 */
  target: string;
  /** utilization − target (negative: below target) */
  variance: string | null;
  allocated: string;
  /** Σ free hours: capacity no allocation books */
  benchHours: string;
  /** Days with capacity and no allocation at all */
  benchDays: number;
}

export function utilization(
  days: readonly LoadDay[],
  worked: readonly WorkedDay[],
  targetPercent: string,
): Utilization {
  const inPeriod = new Set(days.map((d) => d.date));
  const mine = worked.filter((w) => inPeriod.has(w.date));
  const cap = sum(days.map((d) => dec(d.capacity)));
  const w = sum(mine.map((x) => dec(x.hours)));
  const b = sum(mine.filter((x) => x.billable).map((x) => dec(x.hours)));
  const target = dec(targetPercent).div(HUNDRED);
  const ratio = (x: typeof w) => (cap.eq(ZERO) ? null : x.div(cap));
  const u = ratio(w);
  return {
    capacity: str(cap),
    worked: str(w),
    billable: str(b),
    utilization: u && str(u),
    billableUtilization: ratio(b) && str(ratio(b)!),
    target: str(target),
    variance: u && str(u.minus(target)),
    allocated: str(sum(days.map((d) => dec(d.allocated)))),
    benchHours: str(sum(days.map((d) => dec(d.free)))),
    benchDays: days.filter((d) => dec(d.capacity).gt(ZERO) && dec(d.allocated).eq(ZERO)).length,
  };
}
