// The earned-value engine against published worked examples. Where a source rounds an index before
// using it (CPI 0.893 → EAC 4,479), the engine keeps the ratio unrounded and the test says what the
// exact figure is; the EAC variants and TCPIs a source does not work out are derived here with the
// PMBOK Guide (6th ed., §7.4.2.2, Table 7-1) formulas, by hand, in the comments.
import { describe, expect, it } from 'vitest';
import { earnedValue, planMetrics, presentMetrics, sCurve, str } from '../../src/engine/index.js';

const s = (d: { toString(): string } | null) => (d === null ? null : d.toString());

describe('fence: R. Mulcahy, PMP Exam Prep, p. 210 (as quoted in "Earned Value Exercise", studylib.net/doc/5898152)', () => {
  // Four sides, one day each, $1,000 each, built one after the other. End of day three: sides 1
  // and 2 complete ($1,000 and $1,200 spent), side 3 50 % done ($600 spent), side 4 not started.
  // Monday 3 March 2025 is day one.
  const activities = [
    {
      id: 'side-1',
      startsOn: '2025-03-03',
      endsOn: '2025-03-03',
      plannedCost: '1000',
      progress: [{ asOf: '2025-03-03', percent: '100' }],
    },
    {
      id: 'side-2',
      startsOn: '2025-03-04',
      endsOn: '2025-03-04',
      plannedCost: '1000',
      progress: [{ asOf: '2025-03-04', percent: '100' }],
    },
    {
      id: 'side-3',
      startsOn: '2025-03-05',
      endsOn: '2025-03-05',
      plannedCost: '1000',
      progress: [{ asOf: '2025-03-05', percent: '50' }],
    },
    { id: 'side-4', startsOn: '2025-03-06', endsOn: '2025-03-06', plannedCost: '1000', progress: [] },
  ];
  const actuals = [
    { activityId: 'side-1', on: '2025-03-03', amount: '1000' },
    { activityId: 'side-2', on: '2025-03-04', amount: '1200' },
    { activityId: 'side-3', on: '2025-03-05', amount: '600' },
  ];
  const { project, activities: per } = planMetrics({ activities, actuals }, '2025-03-05');

  it('PV, EV, AC, BAC, CV, SV, CPI, SPI as the book gives them', () => {
    expect([str(project.pv), str(project.ev), str(project.ac), str(project.bac)]).toEqual([
      '3000',
      '2500',
      '2800',
      '4000',
    ]);
    expect([str(project.cv), str(project.sv)]).toEqual(['-300', '-500']);
    expect(s(project.cpi)?.startsWith('0.89285714285714285714')).toBe(true); // book: .893
    expect(s(project.spi)?.startsWith('0.83333333333333333333')).toBe(true); // book: .833
  });

  it('EAC = BAC / CPI is 4,480 unrounded (the book gets 4,479 from CPI rounded to .893); ETC 1,680; VAC −480', () => {
    expect(s(project.atCpi.eac)).toBe('4480');
    expect(s(project.atCpi.etc)).toBe('1680');
    expect(s(project.atCpi.vac)).toBe('-480');
  });

  it('the other EACs and both TCPIs (derived with the PMBOK formulas)', () => {
    // AC + (BAC − EV) = 2,800 + 1,500
    expect(s(project.atBudget.eac)).toBe('4300');
    // AC + (BAC − EV) / (CPI × SPI) = 2,800 + 1,500 / (2,500/2,800 × 2,500/3,000) = 2,800 + 2,016
    expect(s(project.atCpiSpi.eac)).toBe('4816');
    // TCPI to BAC = (BAC − EV) / (BAC − AC) = 1,500 / 1,200
    expect(s(project.tcpiBac)).toBe('1.25');
    // TCPI to EAC = (BAC − EV) / (EAC − AC): against BAC/CPI it equals the CPI; against AC + BAC − EV, 1
    expect(s(project.atCpi.tcpi)).toBe(s(project.cpi));
    expect(s(project.atBudget.tcpi)).toBe('1');
    // 1,500 / 2,016
    expect(s(project.atCpiSpi.tcpi)?.startsWith('0.74404761904761904761')).toBe(true);
  });

  it('per activity: side 3 is half earned at 120 % of its cost rate', () => {
    const side3 = per.find((a) => a.activityId === 'side-3')!.metrics;
    expect([str(side3.pv), str(side3.ev), str(side3.ac), str(side3.cpi!)]).toEqual([
      '1000',
      '500',
      '600',
      '0.83333333333333333333',
    ]);
    expect(s(per.find((a) => a.activityId === 'side-4')!.metrics.cpi)).toBeNull(); // nothing spent: undefined
  });

  it('presented: money half-up to cents, ratios unrounded', () => {
    const p = presentMetrics(project, 2);
    expect(p.eac.atCpi).toEqual({ eac: '4480.00', etc: '1680.00', vac: '-480.00', tcpi: s(project.cpi) });
    expect(p.cv).toBe('-300.00');
    expect(p.cpi).toBe('0.89285714285714285714');
  });

  it('the S-curve: PV rises 1,000 a day, EV and AC stop at the status date', () => {
    const curve = sCurve(
      { activities, actuals },
      ['2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'],
      '2025-03-05',
    );
    expect(curve.map((p) => [p.date, str(p.pv), s(p.ev), s(p.ac)])).toEqual([
      ['2025-03-02', '0', '0', '0'],
      ['2025-03-03', '1000', '1000', '1000'],
      ['2025-03-04', '2000', '2000', '2200'],
      ['2025-03-05', '3000', '2500', '2800'],
      ['2025-03-06', '4000', null, null],
    ]);
  });
});

describe('K. Schwalbe, Information Technology Project Management, ch. 7 exercise (BAC $200,000, six months, at month three)', () => {
  // PV 120,000, EV 100,000, AC 90,000. The exercise asks CV, SV, CPI, SPI and EAC = BAC / CPI.
  const m = earnedValue({ bac: '200000', pv: '120000', ev: '100000', ac: '90000' });
  it('CV 10,000, SV −20,000, CPI 1.111…, SPI 0.833…, EAC 180,000', () => {
    expect([str(m.cv), str(m.sv)]).toEqual(['10000', '-20000']);
    expect(s(m.cpi)).toBe('1.11111111111111111111');
    expect(s(m.spi)).toBe('0.83333333333333333333');
    expect(s(m.atCpi.eac)).toBe('180000');
    expect(s(m.atCpi.vac)).toBe('20000');
  });
  it('EAC at budget 190,000; at CPI × SPI 198,000; TCPI to BAC 0.909…', () => {
    // 90,000 + 100,000; 90,000 + 100,000 / (10/9 × 5/6) = 90,000 + 108,000; 100,000 / 110,000
    expect(s(m.atBudget.eac)).toBe('190000');
    expect(s(m.atCpiSpi.eac)).toBe('198000');
    expect(s(m.tcpiBac)).toBe('0.9090909090909090909');
    // TCPI to EAC 198,000: 100,000 / 108,000
    expect(s(m.atCpiSpi.tcpi)).toBe('0.92592592592592592592');
  });
});

describe('bread project: "Earned value" tutorial, geocities.ws/projectmanagementquestpond/earnedvalue.htm', () => {
  // 400 breads at $0.02 in 10 hours (BAC $8); at hour 3, 120 planned (PV 2.4), 80 made (EV 1.6), $3 spent.
  const m = earnedValue({ bac: '8', pv: '2.4', ev: '1.6', ac: '3' });
  it('SV −0.8, CV −1.4, TCPI (8 − 1.6) / (8 − 3) = 1.28', () => {
    expect([str(m.sv), str(m.cv)]).toEqual(['-0.8', '-1.4']);
    expect(s(m.tcpiBac)).toBe('1.28');
    // The page rounds CPI to 0.53; SPI 1.6 / 2.4 is 0.666… (the page prints 0.6)
    expect(s(m.cpi)).toBe('0.53333333333333333333');
    expect(s(m.spi)).toBe('0.66666666666666666666');
  });
  it('the three EACs: 15, 9.4 and 3 + 6.4 / (0.5333… × 0.6666…) = 21', () => {
    expect(s(m.atCpi.eac)).toBe('15');
    expect(s(m.atBudget.eac)).toBe('9.4');
    expect(s(m.atCpiSpi.eac)).toBe('21');
    expect(s(m.atCpi.etc)).toBe('12');
    expect(s(m.atCpi.vac)).toBe('-7');
  });
});
