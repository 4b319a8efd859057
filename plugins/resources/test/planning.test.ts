// The planning library: capacity from the calendar less time off, allocations in hours or percent,
// over-allocation, utilization against target and bench time.
import { describe, expect, it } from 'vitest';
import {
  type Allocation,
  capacity,
  load,
  overAllocated,
  utilization,
  type WeekCalendar,
} from '../src/index.js';

const FULL_TIME: WeekCalendar = ['8', '8', '8', '8', '8', '0', '0'];
const FOUR_DAYS: WeekCalendar = ['7.5', '7.5', '7.5', '7.5', '0', '0', '0'];
const P = 'p1';
const alloc = (a: Partial<Allocation>): Allocation => ({
  id: 'a',
  projectId: P,
  startsOn: '2026-03-02',
  endsOn: '2026-03-08',
  hoursPerDay: null,
  percent: null,
  ...a,
});

describe('capacity', () => {
  it('is the calendar less time off, whole days or hours, never below zero', () => {
    // Mon 2 – Sun 8 March 2026; vacation Tue, half a day off Thu, an overlapping 6 h on Thu too.
    const days = capacity(
      FULL_TIME,
      [
        { startsOn: '2026-03-03', endsOn: '2026-03-03', hoursPerDay: null },
        { startsOn: '2026-03-05', endsOn: '2026-03-05', hoursPerDay: '4' },
        { startsOn: '2026-03-05', endsOn: '2026-03-07', hoursPerDay: '6' },
      ],
      '2026-03-02',
      '2026-03-08',
    );
    expect(days.map((d) => d.capacity)).toEqual(['8', '0', '8', '0', '2', '0', '0']);
    expect(days[3]).toMatchObject({ base: '8', timeOff: '8' });
    expect(days[5]).toMatchObject({ base: '0', timeOff: '0' }); // time off on a weekend takes nothing
  });
});

describe('load and over-allocation', () => {
  it('books hours per working day, percent of capacity, and flags days beyond capacity', () => {
    const cap = capacity(
      FOUR_DAYS,
      [{ startsOn: '2026-03-04', endsOn: '2026-03-04', hoursPerDay: null }],
      '2026-03-02',
      '2026-03-08',
    );
    const days = load(
      [
        alloc({ id: 'a', hoursPerDay: '6' }),
        alloc({ id: 'b', projectId: 'p2', percent: '50', startsOn: '2026-03-03' }),
      ],
      cap,
    );
    // Mon: 6 of 7.5; Tue: 6 + 3.75 = 9.75 > 7.5; Wed (vacation): 6 booked on 0 capacity; Thu like Tue.
    expect(days.slice(0, 4).map((d) => [d.allocated, d.free, d.excess, d.over])).toEqual([
      ['6', '1.5', '0', false],
      ['9.75', '0', '2.25', true],
      ['6', '0', '6', true],
      ['9.75', '0', '2.25', true],
    ]);
    expect(days[1]!.byProject).toEqual({ p1: '6', p2: '3.75' });
    expect(days[4]).toMatchObject({ allocated: '0', over: false }); // Friday is not a working day
    expect(overAllocated(days).map((d) => d.date)).toEqual(['2026-03-03', '2026-03-04', '2026-03-05']);
  });
});

describe('utilization and bench', () => {
  it('divides approved hours by capacity (unrounded), compares with the target and sums bench time', () => {
    const cap = capacity(FULL_TIME, [], '2026-03-02', '2026-03-08'); // 40 h
    const days = load([alloc({ hoursPerDay: '5', endsOn: '2026-03-04' })], cap); // 15 h booked Mon–Wed
    const u = utilization(
      days,
      [
        { date: '2026-03-02', hours: '8', billable: true },
        { date: '2026-03-03', hours: '7', billable: false },
        { date: '2026-03-03', hours: '-2', billable: false }, // a reversal nets
        { date: '2026-03-04', hours: '6.5', billable: true },
        { date: '2026-03-09', hours: '8', billable: true }, // outside the period
      ],
      '80',
    );
    expect(u).toEqual({
      capacity: '40',
      worked: '19.5',
      billable: '14.5',
      utilization: '0.4875',
      billableUtilization: '0.3625',
      target: '0.8',
      variance: '-0.3125',
      allocated: '15',
      benchHours: '25',
      benchDays: 2,
    });
    const thirds = utilization(days, [{ date: '2026-03-02', hours: '10', billable: true }], '100');
    expect(thirds.utilization).toBe('0.25');
    expect(
      utilization(load([], capacity(FULL_TIME, [], '2026-03-07', '2026-03-08')), [], '80').utilization,
    ).toBeNull();
    expect(
      utilization(
        load([], capacity(['3', '0', '0', '0', '0', '0', '0'], [], '2026-03-02', '2026-03-02')),
        [{ date: '2026-03-02', hours: '1', billable: true }],
        '80',
      ).utilization,
    ).toBe('0.3333333333');
  });
});
