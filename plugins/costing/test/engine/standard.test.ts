// Standard cost with hand-computed figures: stock is always round(qty × standard price); receipts
// book the purchase price variance; a new standard revalues what is on hand.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance } from './support.js';

describe('standard cost', () => {
  it('books purchase price variance, revalues on a new standard and handles returns both ways', () => {
    const v = createValuation({ method: 'standard', standardPrice: '10' });
    const r1 = v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '12' });
    expect(r1.entries[0]).toMatchObject({
      stock: '100',
      received: '120',
      variance: '20',
      varianceKind: 'purchase_price',
    });
    const r2 = v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '9.5' });
    expect(r2.entries[0]).toMatchObject({ stock: '50', received: '47.5', variance: '-2.5' });
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '8' }).cogs).toBe('80');

    const rv = v.revalue({ revaluationId: 'std-2025', date: day(4), unitCost: '10.55' });
    expect(rv.entries[0]).toMatchObject({ stock: '3.85', revaluation: '3.85' }); // 7 × 10.55 = 73.85
    expect(v.settings.standardPrice).toBe('10.55');
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '3' }).cogs).toBe('31.65');

    // back at i1's cost (10 a unit), into stock at the new standard; the gap is a variance
    const cr = v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(6), qty: '2' });
    expect(cr.entries[0]).toMatchObject({
      stock: '21.1',
      cogs: '-20',
      variance: '-1.1',
      varianceKind: 'customer_return',
    });
    // out at the standard (31.65); the vendor credits r1's cost, 3 × 12 = 36
    const vr = v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(7), qty: '3' });
    expect(vr.entries[0]).toMatchObject({ stock: '-31.65', received: '-36', variance: '-4.35' });
    expect(v.totals()).toMatchObject({
      qty: '3',
      value: '31.65',
      received: '131.5',
      revaluation: '3.85',
      cogs: '91.65',
      variance: '12.05',
      variances: {
        purchase_price: '17.5',
        customer_return: '-1.1',
        vendor_return: '-4.35',
        landed_cost: '0',
      },
    });
    expectBalanced(v);
    expectEntriesBalance([...r1.entries, ...r2.entries, ...rv.entries, ...cr.entries, ...vr.entries]);
  });

  it('keeps stock at round(qty × standard) so the last issue empties it exactly', () => {
    const v = createValuation({ method: 'standard', standardPrice: '0.333' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '0.30' }); // stock 0.999 → 1.00
    expect(v.valueOnHand()).toBe('1');
    expect(v.variances().purchase_price).toBe('-0.1'); // 0.90 paid, 1.00 in stock
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '1' }).cogs).toBe('0.33'); // 1.00 − 0.67
    expect(v.issue({ issueId: 'i2', date: day(3), qty: '1' }).cogs).toBe('0.34'); // 0.67 − 0.33
    expect(v.issue({ issueId: 'i3', date: day(4), qty: '1' }).cogs).toBe('0.33');
    expect(v.valueOnHand()).toBe('0');
    expectBalanced(v);
  });

  it('books landed costs as variance and receives zero-cost goods with a favourable variance', () => {
    const v = createValuation({ method: 'standard', standardPrice: '4' });
    v.receive({ receiptId: 'free', date: day(1), qty: '5', unitCost: '0' });
    expect(v.variances().purchase_price).toBe('-20');
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(2),
      amount: '7.5',
      split: 'equal',
      lines: [{ receiptId: 'free' }],
    });
    expect(lc.entries[0]).toMatchObject({
      landed: '7.5',
      stock: '0',
      variance: '7.5',
      varianceKind: 'landed_cost',
    });
    expect(v.valueOnHand()).toBe('20');
    expectBalanced(v);
  });

  it('changes the standard with nothing on hand without any revaluation amount', () => {
    const v = createValuation({ method: 'standard', standardPrice: '4' });
    const rv = v.revalue({ revaluationId: 'rv1', date: day(1), unitCost: '5' });
    expect(rv.entries[0]).toMatchObject({ stock: '0', revaluation: '0' });
    v.receive({ receiptId: 'r1', date: day(2), qty: '2', unitCost: '5' });
    expect(v.variances().purchase_price).toBe('0');
  });
});
