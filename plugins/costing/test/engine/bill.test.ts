// Issue 14: vendor bills. Standard: the difference is purchase price variance at bill time; FIFO and
// average: the on-hand share adjusts stock, the rest is price difference. Figures computed by hand.
// Behaviour learnt from (not copied): Odoo's addons/purchase_stock/tests/test_stockvaluation.py (price
// difference on vendor bills) and ERPNext's purchase invoice rate adjustment of a purchase receipt.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance, expectRefused } from './support.js';

describe('vendor bills', () => {
  it('standard: the whole difference is purchase price variance, stock stays at standard', () => {
    const v = createValuation({ method: 'standard', standardPrice: '10' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' }); // 100 at standard
    const b = v.bill({ billId: 'b1', receiptId: 'r1', date: day(2), unitPrice: '11' }); // 110
    expect(b).toMatchObject({ difference: '10', capitalised: '0' });
    expect(b.entries).toEqual([
      expect.objectContaining({ type: 'vendor_bill', ref: 'r1', received: '10', stock: '0', variance: '10' }),
    ]);
    expect(v.variances().purchase_price).toBe('10');
    expect(v.valueOnHand()).toBe('100');
    expectBalanced(v);
  });

  it('FIFO: the units on hand take their share, the issued ones are price difference', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.issue({ issueId: 'i1', date: day(2), qty: '4' }); // 6 left, 60
    const b = v.bill({ billId: 'b1', receiptId: 'r1', date: day(3), unitPrice: '11' });
    // 110 − 100 = 10: 10 × 6/10 = 6 into r1's layer, 4 price difference
    expect(b).toMatchObject({ difference: '10', capitalised: '6' });
    expect(b.entries[0]).toMatchObject({
      received: '10',
      stock: '6',
      variance: '4',
      varianceKind: 'purchase_price',
    });
    expect(v.layers()).toEqual([{ id: 'r1', kind: 'receipt', date: day(1), qty: '6', value: '66' }]);
    expect(b.receipts[0]).toMatchObject({ billedQty: '10' });
    expectRefused(
      v,
      () => v.bill({ billId: 'b2', receiptId: 'r1', date: day(4), unitPrice: '11' }),
      'COSTING_BILL_EXCEEDS_RECEIPT',
      'qty',
    );
    expectEntriesBalance(b.entries);
    expectBalanced(v);
  });

  it('average, in a foreign currency at a rate', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' }); // 100
    v.issue({ issueId: 'i1', date: day(2), qty: '5' }); // 5 left, 50
    // 10 × 9 USD × 1.25 = 112.50: difference 12.50, on hand 12.50 × 5/10 = 6.25
    const b = v.bill({ billId: 'b1', receiptId: 'r1', date: day(3), unitPrice: '9', rate: '1.25' });
    expect(b).toMatchObject({ difference: '12.5', capitalised: '6.25' });
    expect(v.valueOnHand()).toBe('56.25');
    expect(v.variances().purchase_price).toBe('6.25');
    expectBalanced(v);
  });

  it('partial bills add up to the receipt value exactly', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '0.333' }); // round(0.999) = 1
    // bases: round(1 × 1/3) = 0.33; round(1 × 2/3) − 0.33 = 0.34; 1 − 0.67 = 0.33
    const diffs = ['b1', 'b2', 'b3'].map(
      (billId, n) =>
        v.bill({ billId, receiptId: 'r1', date: day(2 + n), qty: '1', unitPrice: '0.333' }).difference,
    );
    expect(diffs).toEqual(['0', '-0.01', '0']); // billed 0.33 each
    expect(v.valueOnHand()).toBe('0.99');
    expectBalanced(v);
  });

  it('refuses an unknown receipt and a bad rate', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '1' });
    expectRefused(
      v,
      () => v.bill({ billId: 'b', receiptId: 'nope', date: day(2), unitPrice: '1' }),
      'COSTING_UNKNOWN_RECEIPT',
      'receiptId',
    );
    expectRefused(
      v,
      () => v.bill({ billId: 'b', receiptId: 'r1', date: day(2), unitPrice: '1', rate: '0' }),
      'COSTING_INVALID_INPUT',
      'rate',
    );
  });
});
