// Negative stock: an issue below zero is costed at the last known cost; when stock arrives the
// original issue's COGS is corrected to the arrival's cost. Figures computed by hand.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance, expectRefused } from './support.js';

describe('negative stock', () => {
  it('is refused when not allowed, and changes nothing', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '5', unitCost: '4' });
    expectRefused(
      v,
      () => v.issue({ issueId: 'i1', date: day(2), qty: '6' }),
      'COSTING_INSUFFICIENT_STOCK',
      'qty',
    );
  });

  it('FIFO: costs the units below zero at the last known cost and corrects the issue on arrival', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '5', unitCost: '4' });
    const i1 = v.issue({ issueId: 'i1', date: day(2), qty: '8' });
    expect(i1).toMatchObject({ cogs: '32', provisionalQty: '3' }); // 5 × 4 + 3 × 4 provisional
    expect(v.totals()).toMatchObject({ qty: '-3', value: '-12' });
    expect(v.pendingIssues()).toEqual([{ issueId: 'i1', date: day(2), qty: '3', value: '12' }]);
    const r2 = v.receive({ receiptId: 'r2', date: day(3), qty: '10', unitCost: '5' });
    // 3 of the 10 units (50 × 3/10 = 15) settle i1, whose 3 units cost 12 provisionally: +3
    expect(r2.entries.map((e) => [e.type, e.ref, e.qty, e.stock, e.cogs])).toEqual([
      ['receipt', undefined, '10', '50', '0'],
      ['negative_correction', 'i1', '0', '-3', '3'],
    ]);
    expect(r2.issues[0]).toMatchObject({
      issueId: 'i1',
      pendingQty: '0',
      corrections: [{ id: 'r2', date: day(3), amount: '3' }],
    });
    expect(v.issueCost('i1')).toMatchObject({ cogs: '32', totalCogs: '35', pendingQty: '0' });
    expect(v.layers()).toEqual([{ id: 'r2', kind: 'receipt', date: day(3), qty: '7', value: '35' }]);
    expect(v.pendingIssues()).toEqual([]);
    expectBalanced(v);
    expectEntriesBalance(r2.entries);
  });

  it('settles several pending issues in order, partly, across arrivals', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    v.receive({ receiptId: 'r0', date: day(1), qty: '1', unitCost: '4' });
    v.issue({ issueId: 'i0', date: day(2), qty: '1' });
    v.issue({ issueId: 'i1', date: day(3), qty: '3' }); // 3 × 4 = 12 provisional
    v.issue({ issueId: 'i2', date: day(4), qty: '1' }); // 4 provisional
    // 2 units at 5: i1 gets both: 10 against 12 × 2/3 = 8 → +2
    v.receive({ receiptId: 'r1', date: day(5), qty: '2', unitCost: '5' });
    expect(v.pendingIssues().map((p) => [p.issueId, p.qty, p.value])).toEqual([
      ['i1', '1', '4'],
      ['i2', '1', '4'],
    ]);
    // 4 units at 6 (24): i1's last unit 6 against 4 → +2; i2's unit 6 against 4 → +2; 2 units left
    const r2 = v.receive({ receiptId: 'r2', date: day(6), qty: '4', unitCost: '6' });
    expect(r2.entries.filter((e) => e.type === 'negative_correction').map((e) => [e.ref, e.cogs])).toEqual([
      ['i1', '2'],
      ['i2', '2'],
    ]);
    expect(v.issueCost('i1')).toMatchObject({ cogs: '12', totalCogs: '16' });
    expect(v.layers()).toMatchObject([{ id: 'r2', qty: '2', value: '12' }]);
    expectBalanced(v);
  });

  it('costs an issue below zero at zero when no cost was ever known', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    expect(v.issue({ issueId: 'i1', date: day(1), qty: '2' }).cogs).toBe('0');
    v.receive({ receiptId: 'r1', date: day(2), qty: '5', unitCost: '3' });
    expect(v.issueCost('i1')?.totalCogs).toBe('6');
    expect(v.layers()[0]).toMatchObject({ qty: '3', value: '9' });
    expectBalanced(v);
  });

  it('average: costs below zero at the last average', () => {
    const v = createValuation({ method: 'average', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '4', unitCost: '2.5' });
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '6' }).cogs).toBe('15'); // 10 + 2 × 2.5
    v.receive({ receiptId: 'r2', date: day(3), qty: '10', unitCost: '3' });
    expect(v.issueCost('i1')?.totalCogs).toBe('16'); // + (6 − 5)
    expect(v.totals()).toMatchObject({ qty: '8', value: '24' });
    expectBalanced(v);
  });

  it('LIFO: the last known cost is that of the last layer consumed', () => {
    const v = createValuation({ method: 'lifo', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '2', unitCost: '1' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '2', unitCost: '3' });
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '5' }).cogs).toBe('9'); // 6 + 2 + 1 × 1
    v.receive({ receiptId: 'r3', date: day(4), qty: '1', unitCost: '2' });
    expect(v.issueCost('i1')?.totalCogs).toBe('10');
    expect(v.totals()).toMatchObject({ qty: '0', value: '0' });
  });

  it('a customer return settles pending issues like any arrival', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '2', unitCost: '5' });
    v.issue({ issueId: 'i1', date: day(2), qty: '2' }); // 10
    v.issue({ issueId: 'i2', date: day(3), qty: '3' }); // 15 provisional
    const cr = v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(4), qty: '1' });
    expect(cr.entries.map((e) => [e.type, e.ref, e.cogs])).toEqual([
      ['customer_return', 'i1', '-5'],
      ['negative_correction', 'i2', '0'],
    ]);
    expect(v.pendingIssues()).toMatchObject([{ issueId: 'i2', qty: '2', value: '10' }]);
    expectBalanced(v);
  });

  it('standard: units below zero are at standard and need no correction', () => {
    const v = createValuation({ method: 'standard', standardPrice: '10', allowNegativeStock: true });
    expect(v.issue({ issueId: 'i1', date: day(1), qty: '3' })).toMatchObject({
      cogs: '30',
      provisionalQty: '0',
    });
    expect(v.totals()).toMatchObject({ qty: '-3', value: '-30' });
    const r = v.receive({ receiptId: 'r1', date: day(2), qty: '5', unitCost: '11' });
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]).toMatchObject({ stock: '50', received: '55', variance: '5' });
    expect(v.layers()).toMatchObject([{ id: 'r1', qty: '2' }]);
    expectBalanced(v);
  });

  it('a vendor return never drives stock below zero', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '5', unitCost: '4' });
    v.issue({ issueId: 'i1', date: day(2), qty: '4' });
    expectRefused(
      v,
      () => v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(3), qty: '2' }),
      'COSTING_INSUFFICIENT_STOCK',
      'qty',
    );
  });
});
