// Capacity of one person per day: the working hours their calendar gives that weekday, less time
// off (whole days when no hours are given; never below zero; overlapping time off does not take
// the same hour twice).
import { type Dec, dec, minDec, str, ZERO } from '../shared/index.js';
import { days, isoWeekday, within } from './dates.js';

/** Working hours Monday … Sunday (ISO order), decimal strings. */
export type WeekCalendar = readonly [string, string, string, string, string, string, string];

export interface TimeOffSpan {
  startsOn: string;
  endsOn: string;
  /** Hours off per day; null = the whole working day. */
  hoursPerDay: string | null;
}

export interface CapacityDay {
  date: string;
  /** What the calendar gives. */
  base: string;
  timeOff: string;
  capacity: string;
}

export function capacity(
  calendar: WeekCalendar,
  timeOff: readonly TimeOffSpan[],
  from: string,
  to: string,
): CapacityDay[] {
  return days(from, to).map((date) => {
    const base = dec(calendar[isoWeekday(date) - 1]!);
    let off: Dec = ZERO;
    for (const t of timeOff)
      if (within(date, t.startsOn, t.endsOn))
        off = off.plus(t.hoursPerDay == null ? base : dec(t.hoursPerDay));
    off = minDec(off, base);
    return { date, base: str(base), timeOff: str(off), capacity: str(base.minus(off)) };
  });
}
