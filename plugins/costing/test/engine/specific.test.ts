// Issue 14: specific identification (ERPNext's serial and batch valuation): each serial, or each
// batch, carries its own cost from receipt to issue. Figures computed by hand.
// Behaviour learnt from (not copied): ERPNext's erpnext/stock/doctype/batch/test_batch.py (batch-wise
// valuation) and its serial-and-batch bundle valuation.
import { describe, expect, it } from 'vitest';
import { createValuation, restoreValuation } from '../../src/index.js';
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

// Issue 14: a move line of several serials (a receipt of S1, S2 at 10) is one step: each serial is
// one unit of the line's layer and leaves at that layer's value per unit, so serials of different
// receipts issued on one line cost the sum of their own costs. Figures by hand.
describe('specific identification, a line of several serials', () => {
  function serials() {
    const v = createValuation({ method: 'specific' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '2', unitCost: '10', serials: ['S1', 'S2'] }); // 20
    v.receive({ receiptId: 'r2', date: day(2), qty: '1', unitCost: '14', serials: ['S3'] }); // 14
    return v;
  }

  it('issues the serials of one line at the sum of their own costs', () => {
    const v = serials();
    expect(v.layers().map((l) => [l.id, l.serials ?? l.lot, l.qty, l.value])).toEqual([
      ['r1', ['S1', 'S2'], '2', '20'],
      ['r2', 'S3', '1', '14'], // a list of one serial is that serial
    ]);
    // S1 from r1 at 10 + S3 from r2 at 14 = 24 (FIFO would take S1 + S2 = 20)
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '2', serials: ['S1', 'S3'] }).cogs).toBe('24');
    expect(v.layers().map((l) => [l.id, l.serials, l.qty, l.value])).toEqual([['r1', ['S2'], '1', '10']]);
    expect(v.issue({ issueId: 'i2', date: day(4), qty: '1', serials: ['S2'] }).cogs).toBe('10');
    expect(v.totals()).toMatchObject({ qty: '0', value: '0', received: '34', cogs: '34' });
    expectBalanced(v);
  });

  it('a cancelled issue (the plugin re-costs without it) leaves both serials at their own costs', () => {
    // the plugin cancels by replaying the valuation's steps without the cancelled move
    const v = serials();
    expect(v.issue({ issueId: 'i1', date: day(3), qty: '2', serials: ['S1', 'S3'] }).cogs).toBe('24');
    const reposted = serials(); // the same steps without i1
    expect(reposted.valueOnHand()).toBe('34');
    expect(reposted.issue({ issueId: 'i2', date: day(4), qty: '1', lot: 'S3' }).cogs).toBe('14');
    expect(reposted.issue({ issueId: 'i3', date: day(5), qty: '1', lot: 'S1' }).cogs).toBe('10');
    expect(reposted.issue({ issueId: 'i4', date: day(6), qty: '1', lot: 'S2' }).cogs).toBe('10');
    expectBalanced(reposted);
  });

  it('a landed cost on the line follows each of its serials; a vendor return names its serials', () => {
    const v = serials();
    // 5 over r1's 2 units: each serial 10 + 2.5
    v.landedCost({
      landedCostId: 'lc',
      date: day(3),
      amount: '5',
      split: 'equal',
      lines: [{ receiptId: 'r1' }],
    });
    // S2 back to the vendor: credited 12.5 (10 + its 2.5 of landed cost), no variance
    const back = v.vendorReturn({ returnId: 'vr', receiptId: 'r1', date: day(4), qty: '1', serials: ['S2'] });
    expect(back.entries[0]).toMatchObject({ stock: '-12.5', received: '-12.5', variance: '0' });
    // S1 at 12.5 + S3 at 14 = 26.5
    expect(v.issue({ issueId: 'i1', date: day(5), qty: '2', serials: ['S3', 'S1'] }).cogs).toBe('26.5');
    expectBalanced(v);
  });

  it('three serials at 3.333 share the line value 10.00 to the cent, the last takes the rest', () => {
    const v = createValuation({ method: 'specific' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '3.333', serials: ['A', 'B', 'C'] });
    expect(v.valueOnHand()).toBe('10'); // round(3 × 3.333 = 9.999)
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '1', serials: ['B'] }).cogs).toBe('3.33'); // 10 ÷ 3
    expect(v.issue({ issueId: 'i2', date: day(3), qty: '2', serials: ['C', 'A'] }).cogs).toBe('6.67'); // the rest
    expectBalanced(v);
  });

  it('a customer return of several serials comes back with each serial at its own cost', () => {
    const v = serials();
    v.issue({ issueId: 'i1', date: day(3), qty: '3', serials: ['S1', 'S2', 'S3'] }); // 34
    v.customerReturn({ returnId: 'c1', issueId: 'i1', date: day(4), qty: '3', serials: ['S1', 'S2', 'S3'] });
    // each serial back at its own cost: S1, S2 at 10 in one layer, S3 at 14 in the next
    expect(v.layers().map((l) => [l.id, l.serials ?? l.lot, l.value])).toEqual([
      ['c1', ['S1', 'S2'], '20'],
      ['c1#2', 'S3', '14'],
    ]);
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '3', serials: ['S3', 'S2', 'S1'] }).cogs).toBe('34');
    expectBalanced(v);
  });

  it('keeps the serials in a snapshot', () => {
    const v = serials();
    const again = restoreValuation(JSON.parse(JSON.stringify(v.toJSON())));
    expect(again.issue({ issueId: 'i1', date: day(3), qty: '2', serials: ['S3', 'S2'] }).cogs).toBe('24');
    const bad = v.toJSON();
    bad.layers[0]!.serials = ['S1'];
    expect(() => restoreValuation(bad)).toThrow(
      expect.objectContaining({ code: 'COSTING_INVALID_SNAPSHOT' }),
    );
  });

  it('refuses a line whose serials do not match its quantity or are not on hand, changing nothing', () => {
    const v = serials();
    const issue = (qty: string, list: string[]) => () =>
      v.issue({ issueId: 'x', date: day(3), qty, serials: list });
    expectRefused(v, issue('3', ['S1', 'S2']), 'COSTING_INVALID_QUANTITY', 'qty');
    expectRefused(v, issue('2', ['S1', 'S9']), 'COSTING_INSUFFICIENT_STOCK', 'serials/1');
    expectRefused(v, issue('2', ['S1', 'S1']), 'COSTING_INVALID_INPUT', 'serials/1');
    expectRefused(v, issue('1', []), 'COSTING_LOT_REQUIRED', 'serials');
    expectRefused(
      v,
      () => v.issue({ issueId: 'x', date: day(3), qty: '1', lot: 'S1', serials: ['S1'] }),
      'COSTING_INVALID_INPUT',
      'serials',
    );
    // a line of serials goes back to the vendor only by naming serials of that line
    expectRefused(
      v,
      () => v.vendorReturn({ returnId: 'x', receiptId: 'r1', date: day(3), qty: '1' }),
      'COSTING_LOT_REQUIRED',
      'serials',
    );
    expectRefused(
      v,
      () => v.vendorReturn({ returnId: 'x', receiptId: 'r1', date: day(3), qty: '1', serials: ['S3'] }),
      'COSTING_INSUFFICIENT_STOCK',
      'serials/0',
    );
  });
});

// Issue 14, serials that move together again: the issue record keeps each serial's cost, so a
// transfer in (a receipt given `serialCosts`) and a customer return of several serials open a
// layer per cost and each serial leaves again at exactly its own cost. Figures by hand.
describe('specific identification, serials that move together again', () => {
  function first() {
    const v = createValuation({ method: 'specific', keepHistory: false });
    v.receive({ receiptId: 'r1', date: day(1), qty: '2', unitCost: '10', serials: ['S1', 'S2'] }); // 20
    v.receive({ receiptId: 'r2', date: day(2), qty: '1', unitCost: '14', serials: ['S3'] }); // 14
    return v;
  }

  it('a transfer of S1 (10) and S3 (14) arrives with each serial at its own cost', () => {
    const from = first();
    const out = from.issue({ issueId: 't-out', date: day(3), qty: '2', serials: ['S1', 'S3'] });
    expect(out.cogs).toBe('24'); // 10 + 14 leaves the first warehouse
    expect(out.issues[0]!.serialCosts).toEqual({ S1: '10', S3: '14' });
    const to = createValuation({ method: 'specific', keepHistory: false });
    // the plugin passes the line's rate as unitCost (24 ÷ 2) and each serial's cost
    to.receive({
      receiptId: 't-in',
      date: day(3),
      qty: '2',
      unitCost: '12',
      serials: ['S1', 'S3'],
      serialCosts: out.issues[0]!.serialCosts!,
    });
    expect(to.layers().map((l) => [l.id, l.lot, l.qty, l.value])).toEqual([
      ['t-in', 'S1', '1', '10'],
      ['t-in#2', 'S3', '1', '14'],
    ]);
    expect(to.valueOnHand()).toBe('24');
    expect(to.issue({ issueId: 'i1', date: day(4), qty: '1', serials: ['S3'] }).cogs).toBe('14');
    // the receipt record stays while a layer of its line is open, so the snapshot restores
    const again = restoreValuation(JSON.parse(JSON.stringify(to.toJSON())));
    expect(again.issue({ issueId: 'i2', date: day(5), qty: '1', lot: 'S1' }).cogs).toBe('10');
    expect(again.valueOnHand()).toBe('0');
    expectBalanced(again);
    // S1's layer (the first, under the receipt's id) closing first keeps the record for S3's
    const other = createValuation({ method: 'specific' });
    const costs = { S1: '10', S3: '14' };
    other.receive({
      receiptId: 't',
      date: day(3),
      qty: '2',
      unitCost: '12',
      serials: ['S1', 'S3'],
      serialCosts: costs,
    });
    other.issue({ issueId: 'i1', date: day(4), qty: '1', lot: 'S1' });
    other.forgetHistory();
    const restored = restoreValuation(JSON.parse(JSON.stringify(other.toJSON())));
    expect(restored.issue({ issueId: 'i2', date: day(5), qty: '1', lot: 'S3' }).cogs).toBe('14');
  });

  it('serials of equal cost share one layer; the costs must name exactly the line', () => {
    const to = createValuation({ method: 'specific' });
    to.receive({
      receiptId: 't',
      date: day(1),
      qty: '3',
      unitCost: '11.333333',
      serials: ['A', 'B', 'C'],
      serialCosts: { A: '10', B: '14', C: '10' },
    });
    expect(to.layers().map((l) => [l.id, l.serials ?? l.lot, l.value])).toEqual([
      ['t', ['A', 'C'], '20'],
      ['t#2', 'B', '14'],
    ]);
    expect(to.getReceipt('t')!.value).toBe('34'); // the sum, not round(3 × 11.333333) = 34.00
    const v = createValuation({ method: 'specific' });
    const receive = (serialCosts: Record<string, string>) => () =>
      v.receive({ receiptId: 'x', date: day(1), qty: '2', unitCost: '1', serials: ['A', 'B'], serialCosts });
    expectRefused(v, receive({ A: '1' }), 'COSTING_INVALID_INPUT', 'serialCosts');
    expectRefused(v, receive({ A: '1', B: '1', C: '1' }), 'COSTING_INVALID_INPUT', 'serialCosts');
    expectRefused(v, receive({ A: '1', B: '-1' }), 'COSTING_INVALID_INPUT', 'serialCosts/B');
    expectRefused(v, receive({ A: '1', B: '0.001' }), 'COSTING_INVALID_INPUT', 'serialCosts/B'); // finer than a cent
    // a line of serials arrives only with serials not on hand: B is, since the first receipt
    const s = (list: string[]) => () =>
      to.receive({ receiptId: 'y', date: day(2), qty: String(list.length), unitCost: '1', serials: list });
    expectRefused(to, s(['D', 'B']), 'COSTING_INVALID_INPUT', 'serials/1');
  });

  it('a customer return of S1 and S3 issued together comes back at 10 and 14', () => {
    const v = first();
    const i1 = v.issue({ issueId: 'i1', date: day(3), qty: '2', serials: ['S1', 'S3'] });
    expect(i1.cogs).toBe('24');
    // history dropped (as in the plugin): the issue's record comes back as `original`
    const original = i1.issues[0]!;
    v.customerReturn({
      returnId: 'c1',
      issueId: 'i1',
      date: day(4),
      qty: '2',
      serials: ['S3', 'S1'],
      original,
    });
    expect(v.layers().map((l) => [l.id, l.lot ?? l.serials, l.value])).toEqual([
      ['r1', ['S2'], '10'],
      ['c1', 'S3', '14'],
      ['c1#2', 'S1', '10'],
    ]);
    expect(v.issue({ issueId: 'i2', date: day(5), qty: '1', serials: ['S3'] }).cogs).toBe('14');
    expect(v.issue({ issueId: 'i3', date: day(6), qty: '1', lot: 'S1' }).cogs).toBe('10');
    expectBalanced(v);
  });

  it('a return of one serial of the line takes its own cost, the next the other', () => {
    const v = first();
    const i1 = v.issue({ issueId: 'i1', date: day(3), qty: '2', serials: ['S1', 'S3'] }).issues[0]!;
    const c1 = v.customerReturn({
      returnId: 'c1',
      issueId: 'i1',
      date: day(4),
      qty: '1',
      serials: ['S3'],
      original: i1,
    });
    expect(v.valueOnHand()).toBe('24'); // S2 at 10 + S3 back at its own 14 (not 24 ÷ 2 = 12)
    const after = c1.issues[0]!;
    v.customerReturn({
      returnId: 'c2',
      issueId: 'i1',
      date: day(5),
      qty: '1',
      serials: ['S1'],
      original: after,
    });
    expect(v.valueOnHand()).toBe('34');
    expect(v.issue({ issueId: 'i2', date: day(6), qty: '1', lot: 'S3' }).cogs).toBe('14');
    expectBalanced(v);
  });

  it('a serial named again on a later return of the line cannot take more than is left', () => {
    const v = createValuation({ method: 'specific' });
    v.receive({ receiptId: 'r1', date: day(1), qty: '1', unitCost: '10', lot: 'S1' });
    v.receive({ receiptId: 'r2', date: day(1), qty: '1', unitCost: '14', lot: 'S3' });
    v.issue({ issueId: 'i1', date: day(2), qty: '2', serials: ['S1', 'S3'] }); // 24
    v.customerReturn({ returnId: 'c1', issueId: 'i1', date: day(3), qty: '1', lot: 'S3' }); // its own 14
    v.issue({ issueId: 'i2', date: day(4), qty: '1', lot: 'S3' }); // out again
    // S3 named again: 14 is not what is left of i1 (10), so the last return takes exactly that 10
    v.customerReturn({ returnId: 'c2', issueId: 'i1', date: day(5), qty: '1', lot: 'S3' });
    expect(v.issueCost('i1')).toMatchObject({ returnedValue: '24', netCogs: '0' });
    expectBalanced(v);
  });
});

// Issue 14 (session 6): a landed cost on a transfer in that opened several layers (serials at
// different costs) reaches every layer still open, by quantity; the share of units already gone
// goes to COGS. Figures by hand (Odoo's rule: capitalise remaining_qty ÷ quantity of the share).
describe('specific identification, landed cost on a transfer in split into layers', () => {
  function transferIn(costs: Record<string, string>) {
    const v = createValuation({ method: 'specific' });
    const serials = Object.keys(costs);
    v.receive({
      receiptId: 't-in',
      date: day(3),
      qty: String(serials.length),
      unitCost: '12',
      serials,
      serialCosts: costs,
    });
    return v;
  }

  it('spreads the landed cost over every layer of the line by quantity', () => {
    const v = transferIn({ S1: '10', S3: '14' });
    v.landedCost({
      landedCostId: 'fr',
      date: day(4),
      amount: '6',
      split: 'quantity',
      lines: [{ receiptId: 't-in' }],
    });
    expect(v.totals()).toMatchObject({ value: '30', cogs: '0', landed: '6' }); // all capitalised
    expect(v.layers().map((l) => [l.id, l.lot, l.value])).toEqual([
      ['t-in', 'S1', '13'], // 10 + 6 × 1/2
      ['t-in#2', 'S3', '17'], // 14 + 3
    ]);
    expect(v.issue({ issueId: 'i1', date: day(5), qty: '1', lot: 'S3' }).cogs).toBe('17');
    expect(v.valueOnHand()).toBe('13');
    expectBalanced(v);
  });

  it('capitalises only what is still on hand; the consumed share goes to COGS', () => {
    const v = transferIn({ S1: '10', S3: '14' });
    expect(v.issue({ issueId: 'i1', date: day(4), qty: '1', lot: 'S1' }).cogs).toBe('10');
    v.landedCost({
      landedCostId: 'fr',
      date: day(5),
      amount: '6',
      split: 'quantity',
      lines: [{ receiptId: 't-in' }],
    });
    // S1's half (3), already sold, goes to COGS: 10 + 3
    expect(v.layers().map((l) => [l.id, l.value])).toEqual([['t-in#2', '17']]);
    expect(v.totals()).toMatchObject({ qty: '1', value: '17', landed: '6', cogs: '13' });
    expectBalanced(v);
  });

  it('rounds to the cent with the leftover on the last layer', () => {
    const v = transferIn({ A: '10', B: '14', C: '12' });
    v.landedCost({
      landedCostId: 'fr',
      date: day(4),
      amount: '10',
      split: 'quantity',
      lines: [{ receiptId: 't-in' }],
    });
    expect(v.layers().map((l) => [l.id, l.value])).toEqual([
      ['t-in', '13.33'],
      ['t-in#2', '17.33'],
      ['t-in#3', '15.34'],
    ]);
    expect(v.valueOnHand()).toBe('46');
    expectBalanced(v);
  });
});
