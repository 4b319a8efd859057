// Allocations against capacity, per day. An allocation in hours per day books that many hours on
// each working day of its range (a day the calendar gives hours; time off does not remove it, so a
// person booked while away shows as over-allocated). An allocation in percent books that share of
// the day's capacity (after time off), so it follows the person's availability. A day is
// over-allocated when its bookings exceed its capacity.
import { type Dec, dec, HUNDRED, str, ZERO } from '../shared/index.js';
import type { CapacityDay } from './capacity.js';
import { within } from './dates.js';

export interface Allocation {
  id: string;
  projectId: string;
  startsOn: string;
  endsOn: string;
  hoursPerDay: string | null;
  percent: string | null;
}

export interface LoadDay extends CapacityDay {
  allocated: string;
  /** capacity − allocated, never below zero: unallocated (bench) hours. */
  free: string;
  /** allocated − capacity when positive. */
  excess: string;
  over: boolean;
  byProject: Record<string, string>;
}

export function allocatedOn(a: Allocation, day: CapacityDay): Dec {
  if (!within(day.date, a.startsOn, a.endsOn)) return ZERO;
  if (a.hoursPerDay != null) return dec(day.base).gt(ZERO) ? dec(a.hoursPerDay) : ZERO;
  return dec(day.capacity).times(dec(a.percent!)).div(HUNDRED);
}

export function load(allocations: readonly Allocation[], capacityDays: readonly CapacityDay[]): LoadDay[] {
  return capacityDays.map((day) => {
    const byProject: Record<string, Dec> = {};
    let allocated: Dec = ZERO;
    for (const a of allocations) {
      const h = allocatedOn(a, day);
      if (h.eq(ZERO)) continue;
      byProject[a.projectId] = (byProject[a.projectId] ?? ZERO).plus(h);
      allocated = allocated.plus(h);
    }
    const cap = dec(day.capacity);
    const diff = cap.minus(allocated);
    return {
      ...day,
      allocated: str(allocated),
      free: str(diff.gt(ZERO) ? diff : ZERO),
      excess: str(diff.lt(ZERO) ? diff.neg() : ZERO),
      over: diff.lt(ZERO),
      byProject: Object.fromEntries(Object.entries(byProject).map(([k, v]) => [k, str(v)])),
    };
  });
}

/** The over-allocated days only. */
export const overAllocated = (days: readonly LoadDay[]): LoadDay[] => days.filter((d) => d.over);
