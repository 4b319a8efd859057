// The README's examples, run as written: if the README says it, it is true.
import { describe, expect, it } from 'vitest';
import { earnedValue, planMetrics, presentMetrics, sCurve, str } from '../../src/index.js';

describe('README examples', () => {
  it('from BAC, PV, EV and AC', () => {
    const m = earnedValue({ bac: '200000', pv: '120000', ev: '100000', ac: '90000' });
    expect(presentMetrics(m, 2)).toEqual({
      bac: '200000.00',
      pv: '120000.00',
      ev: '100000.00',
      ac: '90000.00',
      cv: '10000.00',
      sv: '-20000.00',
      cpi: '1.11111111111111111111',
      spi: '0.83333333333333333333',
      percentComplete: '50',
      percentSpent: '45',
      tcpiBac: '0.9090909090909090909',
      eac: {
        atCpi: { eac: '180000.00', etc: '90000.00', vac: '20000.00', tcpi: '1.11111111111111111111' },
        atBudget: { eac: '190000.00', etc: '100000.00', vac: '10000.00', tcpi: '1' },
        atCpiSpi: { eac: '198000.00', etc: '108000.00', vac: '2000.00', tcpi: '0.92592592592592592592' },
      },
    });
  });

  it('from an activity table and a date', () => {
    const plan = {
      activities: [
        {
          id: 's1',
          startsOn: '2025-03-03',
          endsOn: '2025-03-03',
          plannedCost: '1000',
          progress: [{ asOf: '2025-03-03', percent: '100' }],
        },
        {
          id: 's2',
          startsOn: '2025-03-04',
          endsOn: '2025-03-04',
          plannedCost: '1000',
          progress: [{ asOf: '2025-03-04', percent: '100' }],
        },
        {
          id: 's3',
          startsOn: '2025-03-05',
          endsOn: '2025-03-05',
          plannedCost: '1000',
          progress: [{ asOf: '2025-03-05', percent: '50' }],
        },
        { id: 's4', startsOn: '2025-03-06', endsOn: '2025-03-06', plannedCost: '1000', progress: [] },
      ],
      actuals: [
        { activityId: 's1', on: '2025-03-03', amount: '1000' },
        { activityId: 's2', on: '2025-03-04', amount: '1200' },
        { activityId: 's3', on: '2025-03-05', amount: '600' },
      ],
    };
    const { project, activities } = planMetrics(plan, '2025-03-05');
    const p = presentMetrics(project, 2);
    expect([p.pv, p.ev, p.ac, p.cv, p.sv]).toEqual(['3000.00', '2500.00', '2800.00', '-300.00', '-500.00']);
    expect([p.cpi, p.spi]).toEqual(['0.89285714285714285714', '0.83333333333333333333']);
    expect([p.eac.atCpi.eac, p.eac.atBudget.eac, p.eac.atCpiSpi.eac, p.tcpiBac]).toEqual([
      '4480.00',
      '4300.00',
      '4816.00',
      '1.25',
    ]);
    const s3 = activities[2]!.metrics;
    expect([str(s3.ev), str(s3.ac), s3.cpi?.toFixed(4)]).toEqual(['500', '600', '0.8333']);
    const curve = sCurve(plan, ['2025-03-04', '2025-03-06'], '2025-03-05');
    expect(curve.map((c) => [c.date, str(c.pv), c.ev && str(c.ev), c.ac && str(c.ac)])).toEqual([
      ['2025-03-04', '2000', '2000', '2200'],
      ['2025-03-06', '4000', null, null],
    ]);
  });
});
