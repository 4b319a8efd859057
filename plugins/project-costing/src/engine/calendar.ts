// Dates are ISO calendar dates (YYYY-MM-DD), compared as strings and counted in UTC. The planned
// value of an activity is spread over its working days (Monday to Friday; no holiday calendar), so
// the calendar only needs to count those.
const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

export const isIsoDate = (s: unknown): s is string =>
  typeof s === 'string' &&
  ISO.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
export const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => iso(ms(d) + n * DAY);
export const minDate = (a: string, b: string) => (a < b ? a : b);
export const maxDate = (a: string, b: string) => (a > b ? a : b);

/** Working days (Mon–Fri) from `from` to `to`, both included; 0 when `to` is before `from`. */
export function workingDays(from: string, to: string): number {
  if (to < from) return 0;
  const start = ms(from);
  const days = Math.round((ms(to) - start) / DAY) + 1;
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  const startDow = new Date(start).getUTCDay(); // 0 = Sunday
  for (let i = 0; i < days % 7; i++) {
    const dow = (startDow + i) % 7;
    if (dow !== 0 && dow !== 6) count++;
  }
  return count;
}

/** Calendar days from `from` to `to`, both included. */
export const calendarDays = (from: string, to: string) =>
  to < from ? 0 : Math.round((ms(to) - ms(from)) / DAY) + 1;

/** The date `n` working days after `from` counts as day 1 (n ≥ 1); weekends are skipped. */
export function afterWorkingDays(from: string, n: number): string {
  let d = from;
  let left = n;
  // Move to the first working day, then step.
  for (;;) {
    const dow = new Date(ms(d)).getUTCDay();
    if (dow !== 0 && dow !== 6) {
      left--;
      if (left <= 0) return d;
    }
    d = addDays(d, 1);
  }
}
