// Issue 14: the fallback cost of an issue below zero with no cost history (cost price, then last
// purchase price, then zero with a warning), and setting the unit cost with nothing on hand.
// Figures computed by hand; the first case is the issue's own example.
// Behaviour learnt from (not copied): ERPNext's stock_ledger valuation-rate fallback (item valuation
// rate, then last purchase rate, zero only when allowed) and Odoo's standard_price as product cost.
import { describe, expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';
import { day, expectBalanced, expectEntriesBalance, expectRefused } from './support.js';

describe('fallback cost below zero', () => {
  it('FIFO: the cost price (kept as standardPrice outside standard cost), then the correction', () => {
    const v = createValuation({ method: 'fifo', standardPrice: '4', allowNegativeStock: true });
    // nothing on hand, no history: 30 × cost price 4 = 120
    const i1 = v.issue({ issueId: 'i1', date: day(1), qty: '30' });
    expect(i1).toMatchObject({ cogs: '120', provisionalQty: '30', costSource: 'cost_price' });
    expect(i1.warnings).toBeUndefined();
    // 20 at 6 settle 20 of the 30: actual 120 against 120 × 20/30 = 80 provisional → +40 on i1
    const r1 = v.receive({ receiptId: 'r1', date: day(2), qty: '20', unitCost: '6' });
    expect(r1.entries.map((e) => [e.type, e.ref, e.stock, e.cogs])).toEqual([
      ['receipt', undefined, '120', '0'],
      ['negative_correction', 'i1', '-40', '40'],
    ]);
    expect(v.issueCost('i1')).toMatchObject({ cogs: '120', totalCogs: '160', pendingQty: '10' });
    expect(v.totals()).toMatchObject({ qty: '-10', value: '-40' }); // 10 still at 4
    expectBalanced(v);
    expectEntriesBalance(r1.entries);
  });

  it('the order: last known cost, cost price, last purchase price, zero with a warning', () => {
    const history = createValuation({ method: 'average', standardPrice: '4', allowNegativeStock: true });
    history.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '7' });
    history.issue({ issueId: 'i0', date: day(2), qty: '1' });
    // cost history beats the cost price: 2 × 7
    expect(history.issue({ issueId: 'i1', date: day(3), qty: '2', lastPurchasePrice: '9' })).toMatchObject({
      cogs: '14',
      costSource: 'last_cost',
    });

    const priced = createValuation({ method: 'lifo', standardPrice: '4', allowNegativeStock: true });
    expect(priced.issue({ issueId: 'i1', date: day(1), qty: '2', lastPurchasePrice: '9' })).toMatchObject({
      cogs: '8',
      costSource: 'cost_price',
    });

    const bought = createValuation({ method: 'fifo', allowNegativeStock: true });
    // 5 × 3.5 = 17.5 from the purchase price the caller knows (another warehouse's receipt)
    expect(bought.issue({ issueId: 'i1', date: day(1), qty: '5', lastPurchasePrice: '3.5' })).toMatchObject({
      cogs: '17.5',
      costSource: 'last_purchase_price',
    });

    const nothing = createValuation({ method: 'fifo', allowNegativeStock: true });
    const zero = nothing.issue({ issueId: 'i1', date: day(1), qty: '2' });
    expect(zero).toMatchObject({ cogs: '0', costSource: 'zero' });
    expect(zero.warnings).toEqual([expect.objectContaining({ code: 'COSTING_ZERO_COST_FALLBACK' })]);
    // corrected as today: 2 × 5 = 10
    const r = nothing.receive({ receiptId: 'r1', date: day(2), qty: '2', unitCost: '5' });
    expect(r.entries[1]).toMatchObject({ type: 'negative_correction', ref: 'i1', cogs: '10' });
    expectBalanced(nothing);
  });

  it('refuses a negative last purchase price, changing nothing', () => {
    const v = createValuation({ method: 'fifo', allowNegativeStock: true });
    expectRefused(
      v,
      () => v.issue({ issueId: 'i1', date: day(1), qty: '1', lastPurchasePrice: '-1' }),
      'COSTING_INVALID_UNIT_COST',
      'lastPurchasePrice',
    );
  });
});

describe('setting the unit cost with nothing on hand', () => {
  it('average: revalues nothing and prices the next issues', () => {
    const v = createValuation({ method: 'average', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '10', unitCost: '5' });
    v.issue({ issueId: 'i1', date: day(2), qty: '10' }); // empty: value exactly 0
    const set = v.setUnitCost({ id: 'u1', date: day(3), unitCost: '8' });
    expect(set.entries).toEqual([
      expect.objectContaining({ type: 'revaluation', qty: '0', stock: '0', revaluation: '0' }),
    ]);
    expect(v.totals()).toMatchObject({ qty: '0', value: '0', revaluation: '0' });
    expect(v.settings.standardPrice).toBe('8'); // the item's cost price
    // 3 below zero at the new cost: 24 (not the old average 5)
    expect(v.issue({ issueId: 'i2', date: day(4), qty: '3' })).toMatchObject({ cogs: '24' });
    expectBalanced(v);
  });

  it('average without any history: the set cost is the cost of the first issue', () => {
    const v = createValuation({ method: 'average', allowNegativeStock: true });
    v.setUnitCost({ id: 'u1', date: day(1), unitCost: '6' });
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '2' })).toMatchObject({ cogs: '12' });
  });

  it('standard: a new price at zero quantity revalues nothing; receipts and issues use it', () => {
    const v = createValuation({ method: 'standard', standardPrice: '5' });
    const set = v.setUnitCost({ id: 'u1', date: day(1), unitCost: '7' });
    expect(set.entries[0]).toMatchObject({ stock: '0', revaluation: '0' });
    // 4 at 6 = 24 bought, carried at 4 × 7 = 28: variance −4
    const r = v.receive({ receiptId: 'r1', date: day(2), qty: '4', unitCost: '6' });
    expect(r.entries[0]).toMatchObject({ stock: '28', received: '24', variance: '-4' });
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '1' }).cogs).toBe('7');
    expectBalanced(v);
  });
});
