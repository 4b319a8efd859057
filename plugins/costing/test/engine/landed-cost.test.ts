// Landed costs: every split, the rounding leftover on the last line, and the on-hand / issued
// division of each line's share. Figures computed by hand.
// Behaviour learnt from (not copied): Odoo's addons/stock_landed_costs/tests (the landed cost on a
// layer by remaining quantity ÷ quantity) and ERPNext's Landed Cost Voucher reposting past entries.
import { describe, expect, it } from 'vitest';
import { allocateLandedCost, createValuation, type LandedCostSplit } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance, sum } from './support.js';

function threeReceipts(method: 'fifo' | 'lifo' | 'average' = 'fifo') {
  const v = createValuation({ method });
  v.receive({ receiptId: 'a', date: day(1), qty: '1', unitCost: '30' }); // value 30
  v.receive({ receiptId: 'b', date: day(2), qty: '2', unitCost: '35' }); // value 70
  v.receive({ receiptId: 'c', date: day(3), qty: '4', unitCost: '0' }); // zero cost
  return v;
}

describe('landed cost splits (all units on hand, so all capitalised)', () => {
  const cases: [LandedCostSplit, string, Record<string, string>[], string[]][] = [
    ['equal', '100', [{}, {}, {}], ['33.33', '33.33', '33.34']],
    ['quantity', '10', [{}, {}, {}], ['1.43', '2.86', '5.71']], // 10 × 1/7, 10 × 2/7, rest
    // by value 30 : 70 : 0 — the leftover goes to the last line with a basis, b
    ['value', '10', [{}, {}, {}], ['3', '7', '0']],
    ['weight', '100', [{ weight: '1.5' }, { weight: '2.5' }, { weight: '3' }], ['21.43', '35.71', '42.86']],
    ['volume', '0.1', [{ volume: '1' }, { volume: '1' }, { volume: '1' }], ['0.03', '0.03', '0.04']],
  ];
  for (const [split, amount, measures, expected] of cases) {
    it(`splits by ${split}`, () => {
      const v = threeReceipts();
      const result = v.landedCost({
        landedCostId: `lc-${split}`,
        date: day(4),
        amount,
        split,
        lines: ['a', 'b', 'c'].map((receiptId, i) => ({ receiptId, ...measures[i] })),
      });
      expect(result.entries.map((e) => [e.ref, e.landed, e.stock, e.cogs])).toEqual(
        ['a', 'b', 'c'].map((id, i) => [id, expected[i], expected[i], '0']),
      );
      expect(result.receipts.map((r) => r.landed)).toEqual(expected);
      expect(v.layers().map((l) => l.value)).toEqual(
        ['30', '70', '0'].map((base, i) => sum(base, expected[i]!)),
      );
      expectEntriesBalance(result.entries);
      expectBalanced(v);
    });
  }

  it('gives the same shares through allocateLandedCost, across items', () => {
    expect(
      allocateLandedCost({
        amount: '100',
        split: 'weight',
        lines: [{ weight: '1.5' }, { weight: '2.5' }, { weight: '3' }],
      }),
    ).toEqual(['21.43', '35.71', '42.86']);
    expect(
      allocateLandedCost({ amount: '1', split: 'equal', currencyDecimals: 0, lines: [{}, {}, {}] }),
    ).toEqual(['0', '0', '1']);
  });
});

describe('landed cost on partly issued receipts', () => {
  it('FIFO: capitalises the on-hand share into the layer and expenses the issued share', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.issue({ issueId: 'i1', date: day(2), qty: '6' });
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(3),
      amount: '50',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    // 4 of 10 units on hand: 20 capitalised, 30 to COGS on the landed cost's date
    expect(lc.entries).toEqual([
      {
        type: 'landed_cost',
        id: 'lc1',
        ref: 'r1',
        date: day(3),
        qty: '0',
        stock: '20',
        received: '0',
        landed: '50',
        revaluation: '0',
        cogs: '30',
        variance: '0',
      },
    ]);
    expect(v.layers()[0]).toMatchObject({ qty: '4', value: '60' });
    expect(v.issue({ issueId: 'i2', date: day(4), qty: '1' }).cogs).toBe('15');
    expectBalanced(v);
  });

  it('FIFO: a landed cost on a fully issued receipt goes entirely to COGS', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '10' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '3', unitCost: '10' });
    v.issue({ issueId: 'i1', date: day(3), qty: '4' });
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(4),
      amount: '9',
      split: 'quantity',
      lines: [{ receiptId: 'r1' }, { receiptId: 'r2' }],
    });
    // 4.5 each; r1 all issued → COGS 4.5; r2 2 of 3 on hand → 3 capitalised, 1.5 to COGS
    expect(lc.entries.map((e) => [e.ref, e.landed, e.stock, e.cogs])).toEqual([
      ['r1', '4.5', '0', '4.5'],
      ['r2', '4.5', '3', '1.5'],
    ]);
    expectBalanced(v);
  });

  it('average: capitalises into the pool only the share of the receipt still on hand', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.receive({ receiptId: 'r2', date: day(2), qty: '10', unitCost: '20' });
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '12' }).cogs).toBe('180');
    // tracked first-in first-out: r1 is all issued, 8 of r2 are on hand
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(4),
      amount: '50',
      split: 'value',
      lines: [{ receiptId: 'r1' }, { receiptId: 'r2' }],
    });
    // by value 100 : 200 → 16.67 and 33.33; r2: 33.33 × 8/10 = 26.664 → 26.66 capitalised
    expect(lc.entries.map((e) => [e.ref, e.landed, e.stock, e.cogs])).toEqual([
      ['r1', '16.67', '0', '16.67'],
      ['r2', '33.33', '26.66', '6.67'],
    ]);
    expect(v.valueOnHand()).toBe('146.66');
    expectBalanced(v);
  });

  it("capitalises only the on-hand units' share after a vendor return (the returned share is a variance)", () => {
    const v = createValuation({ method: 'lifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '10' });
    v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(2), qty: '4' });
    v.landedCost({
      landedCostId: 'lc1',
      date: day(3),
      amount: '12',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    // 12 × 6/10 = 7.2 capitalised (Odoo: remaining_qty ÷ quantity), 4.8 for the 4 returned units
    expect(v.layers()[0]).toMatchObject({ qty: '6', value: '67.2' });
    expect(v.variances().vendor_return).toBe('4.8');
    expectBalanced(v);
  });
});

describe('landed cost after a vendor return (issue 14)', () => {
  it('FIFO: receive 8 at 50, return 3, landed cost 40 → 25 capitalised, not 40', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '8', unitCost: '50' }); // 400
    v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(2), qty: '3' }); // 150 back
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(3),
      amount: '40',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    // 40 × 5/8 = 25 on the 5 on hand; 40 × 3/8 = 15 for the returned units: a vendor-return variance
    expect(lc.entries[0]).toMatchObject({
      landed: '40',
      stock: '25',
      cogs: '0',
      variance: '15',
      varianceKind: 'vendor_return',
    });
    expect(v.layers()[0]).toMatchObject({ qty: '5', value: '275' });
    expectBalanced(v);
  });

  it('average: the later return of the rest is credited their own share (no variance)', () => {
    const v = createValuation({ method: 'average' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '8', unitCost: '50' });
    v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(2), qty: '3' });
    v.landedCost({
      landedCostId: 'lc1',
      date: day(3),
      amount: '40',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    expect(v.valueOnHand()).toBe('275'); // 250 + 25
    // credit (400 + 40 − 150 − 15) × 5/5 = 275 = the pool: variance 0
    const vr = v.vendorReturn({ returnId: 'vr2', receiptId: 'r1', date: day(4), qty: '5' });
    expect(vr.entries[0]).toMatchObject({ stock: '-275', received: '-275', variance: '0' });
    expectBalanced(v);
  });

  it('FIFO: partly issued and partly returned: on hand, returned and issued shares', () => {
    const v = createValuation({ method: 'fifo' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '8', unitCost: '50' });
    v.issue({ issueId: 'i1', date: day(2), qty: '2' });
    v.vendorReturn({ returnId: 'vr1', receiptId: 'r1', date: day(3), qty: '3' });
    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(4),
      amount: '40',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    // 3 on hand: 15; 3 returned: 15; the 2 issued: the rest, 10 to COGS
    expect(lc.entries[0]).toMatchObject({ stock: '15', variance: '15', cogs: '10' });
    expectBalanced(v);
  });
});
