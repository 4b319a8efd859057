// LIFO with hand-computed figures: issues take the newest layers first.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced } from './support.js';

describe('LIFO', () => {
  it('issues newest layers first across receipts and ends at exactly zero', () => {
    const v = createValuation({ method: 'lifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '1' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '2' });
    v.receive({ receiptId: 'r3', date: day(3), qty: '5', unitCost: '3' });
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '12' }).cogs).toBe('29'); // 5 × 3 + 7 × 2
    v.receive({ receiptId: 'r4', date: day(5), qty: '4', unitCost: '4' });
    expect(v.issue({ issueId: 'i2', date: day(6), qty: '5' }).cogs).toBe('18'); // 4 × 4 + 1 × 2
    expect(v.layers().map((l) => [l.id, l.qty, l.value])).toEqual([
      ['r1', '10', '10'],
      ['r2', '2', '4'],
    ]);
    expect(v.issue({ issueId: 'i3', date: day(7), qty: '12' }).cogs).toBe('14');
    expect(v.totals()).toMatchObject({ qty: '0', value: '0', received: '61', cogs: '61' });
  });

  it('rounds partial layers half-up and empties exactly', () => {
    const v = createValuation({ method: 'lifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '7', unitCost: '1.01' }); // 7.07
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '2' }).cogs).toBe('2.02');
    expect(v.issue({ issueId: 'i2', date: day(3), qty: '3' }).cogs).toBe('3.03'); // 5.05 × 3/5
    expect(v.issue({ issueId: 'i3', date: day(4), qty: '2' }).cogs).toBe('2.02');
    expect(v.valueOnHand()).toBe('0');
  });

  it('puts a customer return on top of the stack, so it is issued next', () => {
    const v = createValuation({ method: 'lifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '1' });
    v.issue({ issueId: 'i1', date: day(2), qty: '4' }); // 4
    v.receive({ receiptId: 'r2', date: day(3), qty: '10', unitCost: '3' });
    v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(4), qty: '2' }); // 2 × 1
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '3' }).cogs).toBe('5'); // 2 × 1 + 1 × 3
    expectBalanced(v);
  });

  it('vendor-returns from the receipt layer, or at the receipt cost with a variance once it is issued', () => {
    const v = createValuation({ method: 'lifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '2' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '3' });
    v.vendorReturn({ returnId: 'vr0', receiptId: 'r1', date: day(3), qty: '2' }); // from r1's own layer: 4
    expect(v.layers().map((l) => [l.id, l.qty, l.value])).toEqual([
      ['r1', '8', '16'],
      ['r2', '10', '30'],
    ]);
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '12' }).cogs).toBe('34'); // 30 + 2 × 2
    // r2 is all issued: 5 units leave from r1's layer (10), the vendor credits r2's cost (15)
    const vr = v.vendorReturn({ returnId: 'vr1', receiptId: 'r2', date: day(5), qty: '5' });
    expect(vr.entries[0]).toMatchObject({ stock: '-10', received: '-15', variance: '-5' });
    expect(v.totals()).toMatchObject({ received: '31', cogs: '34', variance: '-5', value: '2', qty: '1' });
    expectBalanced(v);
  });
});
