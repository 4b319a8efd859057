// Issue 14: specific identification (ERPNext's serial and batch valuation): each serial, or each
// batch, carries its own cost from receipt to issue. Figures computed by hand.
// Behaviour learnt from (not copied): ERPNext's erpnext/stock/doctype/batch/test_batch.py (batch-wise
// valuation) and its serial-and-batch bundle valuation.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectRefused } from './support.js';

function stock() {
  const v = createValuation({ method: 'specific' });
  v.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '100', lot: 'SN1' });
  v.receive({ receiptId: 'r2', date: day(2), qty: '1', unitCost: '120', lot: 'SN2' });
  v.receive({ receiptId: 'r3', date: day(3), qty: '5', unitCost: '10', lot: 'B1' });
  v.receive({ receiptId: 'r4', date: day(4), qty: '5', unitCost: '12', lot: 'B1' });
  return v; // 100 + 120 + 50 + 60 = 330
}

describe('specific identification', () => {
  it('issues each serial at its own cost, a batch from its oldest receipts', () => {
    const v = stock();
    // SN2 at 120, though FIFO would take SN1 at 100
    expect(v.issue({ issueId: 'i1', date: day(5), qty: '1', lot: 'SN2' }).cogs).toBe('120');
    // 6 of B1: 5 × 10 + 1 × 12 = 62
    expect(v.issue({ issueId: 'i2', date: day(6), qty: '6', lot: 'B1' }).cogs).toBe('62');
    expect(v.layers().map((l) => [l.id, l.lot, l.qty, l.value])).toEqual([
      ['r1', 'SN1', '1', '100'],
      ['r4', 'B1', '4', '48'],
    ]);
    expect(v.valueOnHand()).toBe('148');
    expectBalanced(v);
  });

  it('a return comes back with its serial and cost; a landed cost stays with its serial', () => {
    const v = stock();
    v.issue({ issueId: 'i1', date: day(5), qty: '1', lot: 'SN2' });
    v.customerReturn({ returnId: 'c1', issueId: 'i1', date: day(6), qty: '1', lot: 'SN2' });
    v.landedCost({
      landedCostId: 'lc',
      date: day(7),
      amount: '10',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    expect(v.issue({ issueId: 'i2', date: day(8), qty: '1', lot: 'SN2' }).cogs).toBe('120');
    expect(v.issue({ issueId: 'i3', date: day(9), qty: '1', lot: 'SN1' }).cogs).toBe('110'); // 100 + 10
    expectBalanced(v);
  });

  it('refuses a step without its serial or batch, or beyond what that lot has', () => {
    const v = stock();
    expectRefused(v, () => v.issue({ issueId: 'x', date: day(5), qty: '1' }), 'COSTING_LOT_REQUIRED', 'lot');
    expectRefused(
      v,
      () => v.receive({ receiptId: 'x', date: day(5), qty: '1', unitCost: '1' }),
      'COSTING_LOT_REQUIRED',
      'lot',
    );
    expectRefused(
      v,
      () => v.issue({ issueId: 'x', date: day(5), qty: '2', lot: 'SN1' }),
      'COSTING_INSUFFICIENT_STOCK',
      'qty',
    );
    // negative stock does not apply: a unit that is not there has no cost of its own
    const neg = createValuation({ method: 'specific', allowNegativeStock: true });
    expectRefused(
      neg,
      () => neg.issue({ issueId: 'x', date: day(1), qty: '1', lot: 'A' }),
      'COSTING_INSUFFICIENT_STOCK',
      'qty',
    );
    v.issue({ issueId: 'i1', date: day(5), qty: '3', lot: 'B1' }); // r3 keeps 2
    expectRefused(
      v,
      () => v.vendorReturn({ returnId: 'x', receiptId: 'r3', date: day(6), qty: '3' }),
      'COSTING_INSUFFICIENT_STOCK',
      'qty',
    );
  });

  it('starts with nothing on hand when changed to', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '1' });
    expectRefused(
      v,
      () =>
        v.changeMethod({ changeId: 'c', date: day(2), method: 'specific', revaluation: { unitCost: '1' } }),
      'COSTING_INVALID_METHOD',
      'method',
    );
  });
});
