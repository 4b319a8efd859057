// The README's examples, so the documentation cannot drift from the engine.
import { expect, it } from 'vitest';
import {
  abcClassify,
  classify,
  demandSeries,
  detectAnomalies,
  findDuplicateRecords,
  forecast,
  reorderSuggestion,
  trainNaiveBayes,
} from '../../src/index.js';

it('forecasts and suggests a reorder point as the README says', () => {
  // Three years of monthly demand with a yearly season.
  const monthly = Array.from({ length: 36 }, (_, t) => 100 + 2 * t + 30 * Math.sin((2 * Math.PI * t) / 12));
  const f = forecast(monthly, { seasonLength: 12, horizon: 6, level: 0.9 });
  if (f.status !== 'ok') throw new Error(f.message);
  expect(f.model).toMatch(/^holt-winters/);
  expect(f.point).toHaveLength(6);
  expect(f.metrics.mase).toBeLessThan(f.metrics.seasonalNaive!.mase);
  const r = reorderSuggestion({
    point: f.point,
    sigma: f.sigma,
    leadTime: 2,
    serviceLevel: 0.95,
    onHand: 150,
  });
  expect(r.reorderPoint).toBeCloseTo(r.leadTimeDemand + r.safetyStock, 9);
  expect(r.orderNow).toBe(true);

  const short = forecast([5, 0, 7], { seasonLength: 12, horizon: 3 });
  expect(short).toMatchObject({ status: 'insufficient-history', have: 3, need: 8, needSeasonal: 30 });

  const s = demandSeries(
    [
      { at: '2025-01-06', qty: '4' },
      { at: '2025-01-20', qty: '2.5' },
    ],
    'week',
  );
  expect(s).toEqual({
    period: 'week',
    periods: ['2025-01-06', '2025-01-13', '2025-01-20'],
    values: [4, 0, 2.5],
  });
});

it('classes, flags, matches and categorizes as the README says', () => {
  expect(
    abcClassify([
      { itemId: 'bolt', value: '900' },
      { itemId: 'nut', value: '100' },
    ]).map((r) => r.class),
  ).toEqual(['A', 'B']);
  const receipts = ['10', '10.2', '9.9', '10.1', '10', '9.8', '10.3', '10', '31'].map((unitCost, i) => ({
    id: `r${i}`,
    group: 'bolt',
    features: { unitCost },
  }));
  const [odd] = detectAnomalies(receipts);
  expect(odd).toMatchObject({ id: 'r8', unusual: [{ feature: 'unitCost', value: '31', median: '10' }] });
  const [pair] = findDuplicateRecords([
    { id: 'p1', name: 'Müller & Söhne GmbH', createdAt: '2023-01-01' },
    { id: 'p2', name: 'Mueller and Sohne', createdAt: '2025-01-01' },
    { id: 'p3', name: 'Northwind Traders' },
  ]);
  expect(pair).toMatchObject({ a: 'p1', b: 'p2', suggestion: { keep: 'p1', merge: 'p2' } });
  const model = trainNaiveBayes([
    { text: 'hotel two nights', label: 'travel' },
    { text: 'taxi to the airport', label: 'travel' },
    { text: 'printer toner', label: 'office' },
    { text: 'paper and pens', label: 'office' },
  ]);
  expect(classify(model, 'hotel and taxi').label).toBe('travel');
  expect(classify(model, 'something else entirely').label).toBeNull();
});
