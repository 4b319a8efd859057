// Changing the costing method: free with nothing on hand, an explicit revaluation otherwise.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectRefused } from './support.js';

describe('method change', () => {
  it('FIFO → average at an explicit unit cost, keeping the receipts for later landed costs', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '5', unitCost: '2' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '4' });
    expectRefused(
      v,
      () => v.changeMethod({ changeId: 'c1', date: day(3), method: 'average' }),
      'COSTING_REVALUATION_REQUIRED',
      'revaluation',
    );
    const change = v.changeMethod({
      changeId: 'c1',
      date: day(3),
      method: 'average',
      revaluation: { unitCost: '3.2' },
    });
    expect(change.entries[0]).toMatchObject({ type: 'method_change', stock: '2', revaluation: '2' }); // 32 − 30
    expect(v.method).toBe('average');
    expect(v.layers()).toEqual([
      { id: 'r1', kind: 'receipt', date: day(1), qty: '5' },
      { id: 'r2', kind: 'receipt', date: day(2), qty: '5' },
    ]);
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '6' }).cogs).toBe('19.2');
    // 4 of r2's 5 units are on hand (tracked first-in first-out): 4/5 of 10 capitalised
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(5),
      amount: '10',
      split: 'equal',
      lines: [{ receiptId: 'r2' }],
    });
    expect(lc.entries[0]).toMatchObject({ stock: '8', cogs: '2' });
    expectBalanced(v);
  });

  it('average → LIFO values every layer at the revaluation unit cost', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '5', unitCost: '1' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '3' });
    v.changeMethod({ changeId: 'c1', date: day(3), method: 'lifo', revaluation: { unitCost: '2' } });
    expect(v.layers().map((l) => l.value)).toEqual(['10', '10']);
    v.receive({ receiptId: 'r3', date: day(4), qty: '1', unitCost: '7' });
    expect(v.issue({ issueId: 'i1', date: day(5), qty: '7' }).cogs).toBe('19'); // 7 + 5 × 2 + 1 × 2
    expectBalanced(v);
  });

  it('to standard: stock is revalued at the standard price', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '3' });
    const change = v.changeMethod({
      changeId: 'c1',
      date: day(2),
      method: 'standard',
      standardPrice: '3.5',
      revaluation: { unitCost: '3.5' },
    });
    expect(change.entries[0]).toMatchObject({ stock: '5', revaluation: '5' });
    expect(v.settings.standardPrice).toBe('3.5');
    expect(v.receive({ receiptId: 'r2', date: day(3), qty: '2', unitCost: '4' }).entries[0]).toMatchObject({
      variance: '1',
    });
    expectBalanced(v);
  });

  it('needs no revaluation with nothing on hand, but standard needs its price', () => {
    const v = createValuation({ method: 'lifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '3' });
    v.issue({ issueId: 'i1', date: day(2), qty: '1' });
    expectRefused(
      v,
      () => v.changeMethod({ changeId: 'c1', date: day(3), method: 'standard' }),
      'COSTING_INVALID_INPUT',
      'standardPrice',
    );
    expect(
      v.changeMethod({ changeId: 'c1', date: day(3), method: 'standard', standardPrice: '4' }).entries[0],
    ).toMatchObject({ stock: '0' });
    expect(v.changeMethod({ changeId: 'c2', date: day(4), method: 'fifo' }).entries[0]).toMatchObject({
      stock: '0',
    });
    // the standard price stays as the item's cost price (the fallback cost below zero)
    expect(v.settings.standardPrice).toBe('4');
  });
});
