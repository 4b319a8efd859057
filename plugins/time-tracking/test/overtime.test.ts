// Overtime by daily and weekly thresholds: daily first, then weekly on the regular hours left, an
// hour counted once; reversals net within their day; weeks start on the configured weekday.
import { describe, expect, it } from 'vitest';
import { computeOvertime, weekStartOf } from '../src/index.js';

const policy = { dailyThreshold: '8', weeklyThreshold: '40', weekStartsOn: 1 };

describe('computeOvertime', () => {
  it('counts hours beyond the daily threshold as overtime', () => {
    const r = computeOvertime([{ date: '2026-03-02', hours: '10.5' }], policy);
    expect(r.days[0]).toMatchObject({
      worked: '10.5',
      regular: '8',
      dailyOvertime: '2.5',
      weeklyOvertime: '0',
      overtime: '2.5',
    });
  });

  it('adds weekly overtime on the regular hours past the weekly threshold, never counting an hour twice', () => {
    // Mon–Fri 9 h (1 h daily overtime each, 40 regular), Saturday 5 h: all weekly overtime.
    const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].map((date) => ({
      date,
      hours: '9',
    }));
    const r = computeOvertime([...days, { date: '2026-03-07', hours: '5' }], policy);
    expect(r.days.map((d) => d.overtime)).toEqual(['1', '1', '1', '1', '1', '5']);
    expect(r.days[5]).toMatchObject({ regular: '0', dailyOvertime: '0', weeklyOvertime: '5' });
    expect(r.totals).toEqual({ worked: '50', regular: '40', overtime: '10' });
  });

  it('splits the day that crosses the weekly threshold', () => {
    const r = computeOvertime(
      ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']
        .map((date) => ({ date, hours: '8' }))
        .concat([
          { date: '2026-03-06', hours: '7.25' },
          { date: '2026-03-08', hours: '2' },
        ]),
      policy,
    );
    // 32 regular Mon–Thu, Friday fits, Sunday: 0.75 regular then 1.25 weekly overtime.
    expect(r.days.at(-1)).toMatchObject({ date: '2026-03-08', regular: '0.75', weeklyOvertime: '1.25' });
    expect(r.weeks).toEqual([{ weekStart: '2026-03-02', worked: '41.25', regular: '40', overtime: '1.25' }]);
  });

  it('restarts the weekly count each week, on the configured first day', () => {
    const entries = [
      { date: '2026-03-07', hours: '8' }, // Saturday
      { date: '2026-03-08', hours: '8' }, // Sunday
      { date: '2026-03-09', hours: '8' }, // Monday
    ];
    expect(computeOvertime(entries, { weeklyThreshold: '16', weekStartsOn: 1 }).totals.overtime).toBe('0');
    // Weeks starting Saturday: the three days are one week, 8 h over.
    const sat = computeOvertime(entries, { weeklyThreshold: '16', weekStartsOn: 6 });
    expect(sat.totals.overtime).toBe('8');
    expect(sat.weeks.map((w) => w.weekStart)).toEqual(['2026-03-07']);
    expect(weekStartOf('2026-03-08', 7)).toBe('2026-03-08');
  });

  it('nets a reversing entry within its day and ignores missing rules', () => {
    const r = computeOvertime(
      [
        { date: '2026-03-02', hours: '11' },
        { date: '2026-03-02', hours: '-11' },
        { date: '2026-03-02', hours: '9' },
      ],
      policy,
    );
    expect(r.days[0]).toMatchObject({ worked: '9', overtime: '1' });
    expect(computeOvertime([{ date: '2026-03-02', hours: '14' }], {}).totals.overtime).toBe('0');
  });
});
