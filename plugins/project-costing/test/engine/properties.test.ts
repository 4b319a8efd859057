// Properties of the earned-value engine over random activity tables and status dates (fast-check):
// EV ≤ BAC and PV ≤ BAC, the variances agree with the indices, the EAC variants agree with their
// definitions, PV is non-decreasing in time, and the project figures are the activities' sums.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Activity, addDays, dec, planMetrics, plannedValueAt, ZERO } from '../../src/engine/index.js';

const money = fc.integer({ min: 0, max: 10_000_000 }).map((c) => (c / 100).toFixed(2));
const percent = fc.integer({ min: 0, max: 1000 }).map((p) => (p / 10).toString());
const activity = fc
  .record({
    start: fc.integer({ min: 0, max: 60 }),
    length: fc.integer({ min: 0, max: 40 }),
    plannedCost: money,
    progress: fc.array(fc.record({ day: fc.integer({ min: 0, max: 120 }), percent }), { maxLength: 3 }),
  })
  .map(
    (r, i = 0): Activity => ({
      id: `a${i}`,
      startsOn: addDays('2025-01-06', r.start),
      endsOn: addDays('2025-01-06', r.start + r.length),
      plannedCost: r.plannedCost,
      progress: r.progress.map((p) => ({ asOf: addDays('2025-01-06', p.day), percent: p.percent })),
    }),
  );
const plan = fc.record({
  activities: fc
    .array(activity, { minLength: 1, maxLength: 6 })
    .map((as) => as.map((a, i) => ({ ...a, id: `a${i}` }))),
  actuals: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 120 }),
      amount: money,
      which: fc.integer({ min: -1, max: 5 }),
    }),
    { maxLength: 8 },
  ),
  asOf: fc.integer({ min: -5, max: 130 }),
});

const build = (p: typeof plan extends fc.Arbitrary<infer T> ? T : never) => ({
  activities: p.activities,
  actuals: p.actuals.map((x) => ({
    activityId: x.which < 0 || x.which >= p.activities.length ? null : `a${x.which}`,
    on: addDays('2025-01-06', x.day),
    amount: x.amount,
  })),
});

describe('earned value properties', () => {
  it('EV ≤ BAC, PV ≤ BAC, CV = EV − AC, SV = EV − PV, CPI = EV / AC, SPI = EV / PV', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { project, activities } = planMetrics(build(p), addDays('2025-01-06', p.asOf));
        for (const m of [project, ...activities.map((a) => a.metrics)]) {
          expect(m.ev.lte(m.bac)).toBe(true);
          expect(m.pv.lte(m.bac)).toBe(true);
          expect(m.cv.eq(m.ev.minus(m.ac))).toBe(true);
          expect(m.sv.eq(m.ev.minus(m.pv))).toBe(true);
          // CV < 0 exactly when CPI < 1 (for AC > 0); SV < 0 exactly when SPI < 1 (for PV > 0)
          if (m.cpi) {
            expect(m.cpi.times(m.ac).minus(m.ev).abs().lt(dec('1e-12'))).toBe(true);
            if (m.ac.gt(ZERO)) expect(m.cv.lt(ZERO)).toBe(m.cpi.lt(dec('1')));
          }
          if (m.spi) expect(m.sv.lt(ZERO)).toBe(m.spi.lt(dec('1')));
          // ETC = EAC − AC and VAC = BAC − EAC for every variant; EAC at budget = AC + BAC − EV
          for (const f of [m.atCpi, m.atBudget, m.atCpiSpi]) {
            if (f.eac === null) continue;
            expect(f.etc!.eq(f.eac.minus(m.ac))).toBe(true);
            expect(f.vac!.eq(m.bac.minus(f.eac))).toBe(true);
          }
          expect(m.atBudget.eac!.eq(m.ac.plus(m.bac).minus(m.ev))).toBe(true);
          // TCPI to the EAC at CPI is the CPI itself (when both are defined), up to the truncation
          // of one division at 20 places, relative to the size of the index.
          if (m.cpi && m.atCpi.tcpi)
            expect(
              m.atCpi.tcpi
                .minus(m.cpi)
                .abs()
                .lte(m.cpi.abs().times(dec('1e-12'))),
            ).toBe(true);
        }
        // The project is the sum of its activities (AC also counts costs booked to no activity).
        const sum = (k: 'bac' | 'pv' | 'ev') => activities.reduce((s, a) => s.plus(a.metrics[k]), ZERO);
        expect(project.bac.eq(sum('bac')) && project.pv.eq(sum('pv')) && project.ev.eq(sum('ev'))).toBe(true);
        expect(project.ac.gte(activities.reduce((s, a) => s.plus(a.metrics.ac), ZERO))).toBe(
          p.actuals.every((x) => Number(x.amount) >= 0),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('PV of an activity never falls as time passes and reaches the planned cost on its last day', () => {
    fc.assert(
      fc.property(activity, fc.integer({ min: -3, max: 110 }), (a, day) => {
        const d = addDays('2025-01-06', day);
        expect(plannedValueAt(a, addDays(d, 1)).gte(plannedValueAt(a, d))).toBe(true);
        expect(plannedValueAt(a, a.endsOn).eq(dec(a.plannedCost))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
