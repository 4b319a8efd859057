// FIFO with hand-computed figures. Money is rounded half-up to cents; the issue that empties a
// layer takes its whole remaining value.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance } from './support.js';

describe('FIFO', () => {
  it('issues across layers oldest first, partial layers pro rata, and ends at exactly zero', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '1' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '2' });
    // 5 × 3.3333 = 16.6665 → 16.67 (half-up)
    const r3 = v.receive({ receiptId: 'r3', date: day(3), qty: '5', unitCost: '3.3333' });
    expect(r3.entries[0]).toMatchObject({ type: 'receipt', qty: '5', stock: '16.67', received: '16.67' });

    // 10 × 1 + 5 × 2
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '15' }).cogs).toBe('20');
    expect(v.layers()).toEqual([
      { id: 'r2', kind: 'receipt', date: day(2), qty: '5', value: '10' },
      { id: 'r3', kind: 'receipt', date: day(3), qty: '5', value: '16.67' },
    ]);
    // r2 empties (10) + 2 of r3: 16.67 × 2 / 5 = 6.668 → 6.67
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '7' }).cogs).toBe('16.67');
    expect(v.layers()).toEqual([{ id: 'r3', kind: 'receipt', date: day(3), qty: '3', value: '10' }]);
    // the last issue takes the whole remaining value
    expect(v.issue({ issueId: 'i3', date: day(6), qty: '3' }).cogs).toBe('10');
    expect(v.qtyOnHand()).toBe('0');
    expect(v.valueOnHand()).toBe('0');
    expect(v.totals()).toMatchObject({ received: '46.67', cogs: '46.67', variance: '0' });
    expectBalanced(v);
  });

  it('keeps unit rates unrounded and lets the emptying issue absorb the rounding', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '3.333333' }); // 9.999999 → 10.00
    expect(v.valueOnHand()).toBe('10');
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '1' }).cogs).toBe('3.33'); // 10 / 3
    expect(v.issue({ issueId: 'i2', date: day(3), qty: '1' }).cogs).toBe('3.34'); // 6.67 / 2 = 3.335
    expect(v.issue({ issueId: 'i3', date: day(4), qty: '1' }).cogs).toBe('3.33'); // what is left
    expect(v.valueOnHand()).toBe('0');
  });

  it('handles fractional quantities', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '2.5', unitCost: '4.10' }); // 10.25
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '0.75' }).cogs).toBe('3.08'); // 10.25 × 0.3 = 3.075
    expect(v.layers()[0]).toMatchObject({ qty: '1.75', value: '7.17' });
  });

  it('costs zero-cost receipts at zero', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'free', date: day(1), qty: '5', unitCost: '0' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '4' });
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '4' }).cogs).toBe('0');
    expect(v.issue({ issueId: 'i2', date: day(4), qty: '3' }).cogs).toBe('8'); // 1 × 0 + 2 × 4
    expect(v.valueOnHand()).toBe('12');
    expectBalanced(v);
  });

  it('takes customer returns back at the original issue cost, as a new layer at the end of the queue', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '1' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '2' });
    v.issue({ issueId: 'i1', date: day(3), qty: '15' }); // 20
    // 20 × 3 / 15 = 4
    const cr1 = v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(4), qty: '3' });
    expect(cr1.entries).toEqual([
      {
        type: 'customer_return',
        id: 'cr1',
        ref: 'i1',
        date: day(4),
        qty: '3',
        stock: '4',
        received: '0',
        landed: '0',
        revaluation: '0',
        cogs: '-4',
        variance: '0',
      },
    ]);
    expect(v.layers().map((l) => [l.id, l.kind, l.qty, l.value])).toEqual([
      ['r2', 'receipt', '5', '10'],
      ['cr1', 'return', '3', '4'],
    ]);
    // r2's 5 units (10) then one returned unit: 4 / 3 = 1.333 → 1.33
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '6' }).cogs).toBe('11.33');
    // returning everything left of i1 takes back exactly what is left of its cost
    v.customerReturn({ returnId: 'cr2', issueId: 'i1', date: day(6), qty: '12' });
    expect(v.issueCost('i1')).toMatchObject({
      totalCogs: '20',
      returnedQty: '15',
      returnedValue: '20',
      netCogs: '0',
    });
    expect(v.layers().map((l) => [l.id, l.qty, l.value])).toEqual([
      ['cr1', '2', '2.67'],
      ['cr2', '12', '16'],
    ]);
    expect(v.totals()).toMatchObject({ received: '30', cogs: '11.33', value: '18.67' });
    expectBalanced(v);
  });

  it('sends vendor returns out at the receipt layer cost, and books a variance for units beyond it', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '5' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '6' });
    const vr1 = v.vendorReturn({ returnId: 'vr1', receiptId: 'r2', date: day(3), qty: '4' });
    expect(vr1.entries[0]).toMatchObject({ qty: '-4', stock: '-24', received: '-24', variance: '0' });
    expect(vr1.receipts[0]).toMatchObject({ receiptId: 'r2', returnedQty: '4', returnedValue: '24' });
    v.issue({ issueId: 'i1', date: day(4), qty: '12' }); // r1 50 + 2 × 6 = 62
    // r1's layer is gone: 3 units come out of r2's layer (18) while the vendor credits r1's cost
    // (3 × 5 = 15); the 3 difference is a vendor-return variance.
    const vr2 = v.vendorReturn({ returnId: 'vr2', receiptId: 'r1', date: day(5), qty: '3' });
    expect(vr2.entries[0]).toMatchObject({
      stock: '-18',
      received: '-15',
      variance: '3',
      varianceKind: 'vendor_return',
    });
    expect(v.totals()).toMatchObject({ received: '71', cogs: '62', variance: '3', value: '6', qty: '1' });
    expectBalanced(v);
    expectEntriesBalance([...vr1.entries, ...vr2.entries]);
  });

  it('sends vendor returns out at the receipt cost including its landed cost', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '5' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '5' });
    v.landedCost({
      landedCostId: 'lc1',
      date: day(3),
      amount: '10',
      split: 'equal',
      lines: [{ receiptId: 'r2' }],
    });
    const vr = v.vendorReturn({ returnId: 'vr1', receiptId: 'r2', date: day(4), qty: '5' });
    expect(vr.entries[0]).toMatchObject({ stock: '-30', received: '-30', variance: '0' }); // 6 a unit
    expectBalanced(v);
  });

  it('revalues to a unit cost layer by layer, and by an amount spread by quantity', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '1' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '5', unitCost: '2' });
    const up = v.revalue({ revaluationId: 'rv1', date: day(3), unitCost: '1.5' });
    expect(up.entries[0]).toMatchObject({ type: 'revaluation', stock: '2.5', revaluation: '2.5' });
    expect(v.layers().map((l) => l.value)).toEqual(['15', '7.5']);
    // −3 by quantity: r1 −3 × 10/15 = −2, r2 takes the rest, −1
    v.revalue({ revaluationId: 'rv2', date: day(4), amount: '-3' });
    expect(v.layers().map((l) => l.value)).toEqual(['13', '6.5']);
    expect(v.totals()).toMatchObject({ received: '20', revaluation: '-0.5', value: '19.5' });
    expect(v.issue({ issueId: 'i1', date: day(5), qty: '11' }).cogs).toBe('14.3'); // 13 + 6.5 / 5
    expectBalanced(v);
  });
});
