// Moving average with hand-computed figures: the pool's value ÷ quantity is the unit cost, kept
// unrounded; each issue takes round(value × qty ÷ qty on hand) and the last takes what is left.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced } from './support.js';

describe('moving average', () => {
  it('moves the average on receipts and issues at it', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '30', unitCost: '11' });
    expect(v.unitCost()).toBe('10.75'); // 430 / 40
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '15' }).cogs).toBe('161.25');
    v.receive({ receiptId: 'r3', date: day(4), qty: '5', unitCost: '12.3456' }); // 61.728 → 61.73
    expect(v.valueOnHand()).toBe('330.48'); // 268.75 + 61.73, 30 units
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '7' }).cogs).toBe('77.11'); // 330.48 × 7/30 = 77.112
    expect(v.unitCost()).toBe('11.016086956521739130434782608695'); // 253.37 / 23, unrounded
    expect(v.issue({ issueId: 'i3', date: day(6), qty: '23' }).cogs).toBe('253.37');
    expect(v.totals()).toMatchObject({ qty: '0', value: '0', received: '491.73', cogs: '491.73' });
    // quantities per receipt are tracked first-in first-out (for landed costs): all issued
    expect(v.layers()).toEqual([]);
  });

  it('rounds each issue half-up and lets the last absorb the residue', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '10' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '2', unitCost: '11' }); // 32 for 3: 10.666…
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '1' }).cogs).toBe('10.67');
    expect(v.issue({ issueId: 'i2', date: day(4), qty: '1' }).cogs).toBe('10.67'); // 21.33 / 2 = 10.665
    expect(v.issue({ issueId: 'i3', date: day(5), qty: '1' }).cogs).toBe('10.66');
    expect(v.valueOnHand()).toBe('0');
  });

  it('takes customer returns back at the issue cost, which moves the average', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.issue({ issueId: 'i1', date: day(2), qty: '4' }); // 40
    v.receive({ receiptId: 'r2', date: day(3), qty: '6', unitCost: '20' }); // 12 units, 180, avg 15
    const cr = v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(4), qty: '2' });
    expect(cr.entries[0]).toMatchObject({ stock: '20', cogs: '-20', variance: '0' });
    expect(v.totals()).toMatchObject({ qty: '14', value: '200' });
    expect(v.layers().map((l) => [l.id, l.qty])).toEqual([
      ['r1', '6'],
      ['r2', '6'],
      ['cr1', '2'],
    ]);
    expectBalanced(v);
  });

  it('sends vendor returns out at the average and books the gap to the receipt cost as variance', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '20' }); // avg 15
    const vr = v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(3), qty: '4' });
    // leaves at 4 × 15 = 60; the vendor credits 4 × 10 = 40; variance 20
    expect(vr.entries[0]).toMatchObject({
      qty: '-4',
      stock: '-60',
      received: '-40',
      variance: '20',
      varianceKind: 'vendor_return',
    });
    expect(v.unitCost()).toBe('15');
    expect(v.variances().vendor_return).toBe('20');
    expect(v.layers().map((l) => [l.id, l.qty])).toEqual([
      ['r1', '6'],
      ['r2', '10'],
    ]);
    expectBalanced(v);
  });

  it('revalues the pool to a unit cost or by an amount', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '10' });
    expect(v.revalue({ revaluationId: 'rv1', date: day(2), unitCost: '12.345' }).entries[0]).toMatchObject({
      stock: '7.04', // 3 × 12.345 = 37.035 → 37.04, was 30
      revaluation: '7.04',
    });
    v.revalue({ revaluationId: 'rv2', date: day(3), amount: '-1.04' });
    expect(v.valueOnHand()).toBe('36');
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '1' }).cogs).toBe('12');
    expectBalanced(v);
  });
});

describe('vendor return under average: both conventions (issue 14)', () => {
  const setup = () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' }); // 100
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '20' }); // 200 → average 15
    return v;
  };

  it('Odoo (default): leaves at the average, the gap to the credit is a variance', () => {
    const v = setup();
    const vr = v.vendorReturn({ returnId: 'vr', receiptId: 'r1', date: day(3), qty: '5' });
    // 5 × 15 = 75 leaves, the vendor credits 5 × 10 = 50: variance 25; the average stays 15
    expect(vr.entries[0]).toMatchObject({ stock: '-75', received: '-50', variance: '25' });
    expect(v.unitCost()).toBe('15');
  });

  it('ERPNext: leaves at the original rate, the average moves', () => {
    const v = setup();
    const vr = v.vendorReturn({
      returnId: 'vr',
      receiptId: 'r1',
      date: day(3),
      qty: '5',
      valueAt: 'receipt',
    });
    // 50 leaves and is credited: no variance; 250 for 15 units
    expect(vr.entries[0]).toMatchObject({ stock: '-50', received: '-50', variance: '0' });
    expect(v.valueOnHand()).toBe('250');
    expectBalanced(v);
  });
});
