// Demand series from the issue history: issued quantities summed per period (day, ISO week
// starting Monday, or calendar month, in UTC), every period between the first and the last
// present, the empty ones as 0 — a forecaster must see the periods without demand.

export type Period = 'day' | 'week' | 'month';

export interface IssueRecord {
  /** ISO 8601 date or date-time. */
  at: string;
  /** Quantity issued (a decimal string or a number); returns into stock are not demand. */
  qty: string | number;
}

export interface DemandSeries {
  period: Period;
  /** Start date (YYYY-MM-DD) of each period. */
  periods: string[];
  values: number[];
}

const DAY = 86_400_000;

/** The start (UTC midnight, epoch ms) of the period holding `ms`. */
export function periodStart(ms: number, period: Period): number {
  const d = new Date(ms);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  return day - ((d.getUTCDay() + 6) % 7) * DAY;
}

export function nextPeriod(ms: number, period: Period): number {
  if (period === 'day') return ms + DAY;
  if (period === 'week') return ms + 7 * DAY;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Sums issues per period from `from` (default: the first issue's period) through `to` (default:
 * the last issue's period), both inclusive, zero-filled.
 */
export function demandSeries(
  issues: readonly IssueRecord[],
  period: Period,
  range: { from?: string; to?: string } = {},
): DemandSeries {
  const times = issues.map((i) => Date.parse(i.at));
  const first = range.from ? Date.parse(range.from) : Math.min(...times);
  const last = range.to ? Date.parse(range.to) : Math.max(...times);
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) {
    return { period, periods: [], values: [] };
  }
  const index = new Map<number, number>();
  const periods: string[] = [];
  const end = periodStart(last, period);
  for (let p = periodStart(first, period); p <= end; p = nextPeriod(p, period)) {
    index.set(p, periods.length);
    periods.push(iso(p));
  }
  const values = new Array<number>(periods.length).fill(0);
  issues.forEach((issue, k) => {
    const i = index.get(periodStart(times[k]!, period));
    if (i !== undefined) values[i]! += Math.abs(Number(issue.qty));
  });
  return { period, periods, values };
}
