// Reorder suggestions, ABC, aging and dead stock. The safety stock is checked by simulation: with
// normally distributed demand whose mean and spread the suggestion is given, the reorder point
// covers lead-time demand in about the service level's share of cycles (printed).
import { describe, expect, it } from 'vitest';
import {
  abcClassify,
  deadStock,
  demandSeries,
  reorderSuggestion,
  stockAging,
} from '../../src/engine/index.js';
import { normal, rng } from '../support/synthetic.js';

describe('reorder suggestions', () => {
  it('sets safety stock from z and the lead-time error, and meets the service level in simulation', () => {
    const s = reorderSuggestion({
      point: new Array(6).fill(10),
      sigma: new Array(6).fill(3),
      leadTime: 2,
      serviceLevel: 0.95,
      onHand: 25,
    });
    expect(s.z).toBeCloseTo(1.6449, 4);
    expect(s.leadTimeDemand).toBeCloseTo(20, 9);
    expect(s.leadTimeSigma).toBeCloseTo(3 * Math.SQRT2, 9);
    expect(s.reorderPoint).toBeCloseTo(20 + 1.6449 * 3 * Math.SQRT2, 3);
    expect(s.orderNow).toBe(true);
    const z = normal(rng(42));
    let ok = 0;
    const cycles = 20_000;
    for (let i = 0; i < cycles; i++) if (10 + 3 * z() + 10 + 3 * z() <= s.reorderPoint) ok++;
    console.log(
      `service level 0.95: lead-time demand within the reorder point in ${((100 * ok) / cycles).toFixed(1)}% of ${cycles} simulated cycles`,
    );
    expect(ok / cycles).toBeGreaterThan(0.94);
    expect(ok / cycles).toBeLessThan(0.96);
  });

  it('uses the economic order quantity when costs are known, never below the minimum order', () => {
    const s = reorderSuggestion({
      point: [50, 50, 50],
      sigma: [5, 5, 5],
      leadTime: 0.5,
      serviceLevel: 0.9,
      onHand: 500,
      orderCost: 40,
      holdingCost: 1,
      minOrder: 10,
    });
    expect(s.orderQuantity).toBeCloseTo(Math.sqrt(2 * 50 * 40), 9);
    expect(s.leadTimeDemand).toBeCloseTo(25, 9);
    expect(s.orderNow).toBe(false);
    expect(
      reorderSuggestion({ point: [1], sigma: [0], leadTime: 1, serviceLevel: 0.5, onHand: 0, minOrder: 12 })
        .orderQuantity,
    ).toBe(12);
  });

  it('refuses a service level outside (0, 1)', () => {
    expect(() =>
      reorderSuggestion({ point: [1], sigma: [1], leadTime: 1, serviceLevel: 1, onHand: 0 }),
    ).toThrow(/serviceLevel/);
  });
});

describe('ABC, aging, dead stock, series', () => {
  it('classes items by cumulative usage value', () => {
    const rows = abcClassify([
      { itemId: 'a', value: '700' },
      { itemId: 'b', value: '150' },
      { itemId: 'c', value: '100' },
      { itemId: 'd', value: '30' },
      { itemId: 'e', value: '20' },
    ]);
    expect(rows.map((r) => [r.itemId, r.class])).toEqual([
      ['a', 'A'],
      ['b', 'A'],
      ['c', 'B'],
      ['d', 'C'],
      ['e', 'C'],
    ]);
    // Money stays exact: 0.1 + 0.2 of usage value is 0.3, and is shown as given.
    const cents = abcClassify([
      { itemId: 'x', value: '0.1' },
      { itemId: 'y', value: '0.2' },
    ]);
    expect(cents.map((r) => [r.itemId, r.value])).toEqual([
      ['y', '0.2'],
      ['x', '0.1'],
    ]);
    expect(cents.at(-1)!.cumulativeShare).toBe(1);
  });

  it('ages on-hand stock first in, first out, and finds dead stock', () => {
    const aging = stockAging(
      '15.3',
      [
        { at: '2025-01-01', qty: '10.1' },
        { at: '2025-05-01', qty: '10' },
        { at: '2025-06-20', qty: '2.2' },
      ],
      '2025-07-01',
    );
    // 2025-01-01 is 181 days before 2025-07-01: the 180–364 bucket. Exact decimals: 15.3 − 2.2 − 10
    // is 3.1, where floats give 3.1000000000000014.
    expect(aging.buckets.map((b) => b.qty)).toEqual(['2.2', '10', '0', '3.1', '0']);
    const dead = deadStock(
      [
        { itemId: 'x', warehouseId: 'w', onHand: '4', lastIssueAt: '2024-10-01' },
        { itemId: 'y', warehouseId: 'w', onHand: '4', lastIssueAt: '2025-06-01' },
        { itemId: 'z', warehouseId: 'w', onHand: '0', lastIssueAt: null },
        { itemId: 'n', warehouseId: 'w', onHand: '1', lastIssueAt: null },
      ],
      '2025-07-01',
    );
    expect(dead.map((d) => d.itemId)).toEqual(['x', 'n']);
  });

  it('sums issues per ISO week with the empty weeks as zero', () => {
    const s = demandSeries(
      [
        { at: '2025-03-03T10:00:00Z', qty: '2' },
        { at: '2025-03-09T23:00:00Z', qty: '1.5' },
        { at: '2025-03-24T00:00:00Z', qty: '-4' },
      ],
      'week',
    );
    expect(s.periods).toEqual(['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24']);
    expect(s.values).toEqual([3.5, 0, 0, 4]);
  });
});
