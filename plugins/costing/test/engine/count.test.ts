// Issue 14: a stock count with a rate (ERPNext's stock reconciliation) sets the quantity and the
// unit cost absolutely. Figures computed by hand.
// Behaviour learnt from (not copied): ERPNext's erpnext/stock/doctype/stock_reconciliation/
// test_stock_reconciliation.py (the FIFO queue reset to [[qty, rate]]).
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance, expectRefused } from './support.js';

describe('stock count with a rate', () => {
  it('FIFO: replaces the queue with one layer at the counted rate', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '2' }); // 20
    v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '3' }); // 15 → 15 units, 35
    const c = v.count({ countId: 'c1', date: day(3), qty: '12', unitCost: '2.5' }); // 12 × 2.5 = 30
    expect(c.entries).toEqual([
      expect.objectContaining({ type: 'stock_count', qty: '-3', stock: '-5', revaluation: '-5' }),
    ]);
    expect(v.layers()).toEqual([{ id: 'c1', kind: 'count', date: day(3), qty: '12', value: '30' }]);
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '4' }).cogs).toBe('10'); // 4 × 2.5
    // a landed cost on r1 now finds none of its units on hand: all of it to COGS
    const lc = v.landedCost({
      landedCostId: 'lc',
      date: day(5),
      amount: '6',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    expect(lc.entries[0]).toMatchObject({ stock: '0', cogs: '6' });
    expectEntriesBalance(c.entries);
    expectBalanced(v);
  });

  it('average: can raise the quantity, and count to zero', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '3' }); // 30
    expect(v.count({ countId: 'c1', date: day(2), qty: '14', unitCost: '3.25' }).entries[0]).toMatchObject({
      qty: '4',
      stock: '15.5', // 14 × 3.25 = 45.5
    });
    expect(v.unitCost()).toBe('3.25');
    expect(v.count({ countId: 'c2', date: day(3), qty: '0', unitCost: '3.25' }).entries[0]).toMatchObject({
      qty: '-14',
      stock: '-45.5',
    });
    expect(v.totals()).toMatchObject({ qty: '0', value: '0', revaluation: '-30' }); // 30 received + 15.5 − 45.5
    expectBalanced(v);
  });

  it('standard: the rate is the new standard price', () => {
    const v = createValuation({ method: 'standard', standardPrice: '5' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '5' }); // 50
    expect(v.count({ countId: 'c1', date: day(2), qty: '8', unitCost: '6' }).entries[0]).toMatchObject({
      qty: '-2',
      stock: '-2', // 48 − 50
    });
    expect(v.settings.standardPrice).toBe('6');
    expectBalanced(v);
  });

  it('refuses a negative count and a count while issues wait below zero', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    expectRefused(
      v,
      () => v.count({ countId: 'c', date: day(1), qty: '-1', unitCost: '1' }),
      'COSTING_INVALID_QUANTITY',
      'qty',
    );
    v.issue({ issueId: 'i1', date: day(1), qty: '1' });
    expectRefused(
      v,
      () => v.count({ countId: 'c', date: day(2), qty: '3', unitCost: '1' }),
      'COSTING_PENDING_NEGATIVE_STOCK',
      'qty',
    );
  });
});
