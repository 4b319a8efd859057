// Persistence: the valuation as plain JSON, and the bounded-memory mode in which the caller keeps
// the receipt and issue records and hands back the original when it returns against it.
import { describe, expect, it } from 'vitest';
import { createValuation, type IssueRecord, type ReceiptRecord, restoreValuation } from '../../src/index.js';
import { day, expectBalanced } from './support.js';

describe('snapshots', () => {
  it('round-trips through JSON and carries on identically', () => {
    const build = () => {
      const v = createValuation({ method: 'fifo', allowNegativeStock: true, currencyDecimals: 3 });
      v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '1.0005' });
      v.issue({ issueId: 'i1', date: day(2), qty: '5' });
      return v;
    };
    const original = build();
    const json = JSON.parse(JSON.stringify(original.toJSON()));
    expect(json).toMatchObject({ format: 'erp.costing.valuation', version: 1, qty: '-2', value: '-2.001' }); // 2 × 3.002 / 3
    const restored = restoreValuation(json);
    const next = { receiptId: 'r2', date: day(3), qty: '4', unitCost: '1.1' };
    expect(restored.receive(next)).toEqual(original.receive(next));
    expect(restored.toJSON()).toEqual(original.toJSON());
    expect(restored.settings).toEqual({
      currencyDecimals: 3,
      allowNegativeStock: true,
      keepHistory: true,
      standardPrice: null,
    });
  });

  it('uses currencies without a minor unit', () => {
    const v = createValuation({ method: 'average', currencyDecimals: 0 });
    v.receive({ receiptId: 'r1', date: day(1), qty: '3', unitCost: '100.5' }); // 301.5 → 302 yen
    expect(v.issue({ issueId: 'i1', date: day(2), qty: '1' }).cogs).toBe('101'); // 100.67
    expect(v.valueOnHand()).toBe('201');
  });
});

describe('bounded history', () => {
  it('keeps only what open layers and pending issues need, and takes originals from the caller', () => {
    const v = createValuation({ method: 'fifo', keepHistory: false });
    const store = new Map<string, ReceiptRecord | IssueRecord>();
    const keep = (result: { receipts: ReceiptRecord[]; issues: IssueRecord[] }) => {
      for (const r of result.receipts) store.set(r.receiptId, r);
      for (const i of result.issues) store.set(i.issueId, i);
    };
    keep(v.receive({ receiptId: 'r1', date: day(1), qty: '2', unitCost: '5' }));
    keep(v.receive({ receiptId: 'r2', date: day(2), qty: '2', unitCost: '7' }));
    keep(v.issue({ issueId: 'i1', date: day(3), qty: '3' })); // 10 + 7
    expect(v.getIssue('i1')).toBeUndefined();
    expect(v.getReceipt('r1')).toBeUndefined(); // its layer is closed
    expect(v.getReceipt('r2')).toBeDefined();
    expect(v.toJSON().receipts.map((r) => r.receiptId)).toEqual(['r2']);

    expect(() => v.customerReturn({ returnId: 'cr1', issueId: 'i1', date: day(4), qty: '1' })).toThrow(
      expect.objectContaining({ code: 'COSTING_UNKNOWN_ISSUE' }),
    );
    const cr = v.customerReturn({
      returnId: 'cr1',
      issueId: 'i1',
      date: day(4),
      qty: '1',
      original: store.get('i1') as IssueRecord,
    });
    expect(cr.entries[0]).toMatchObject({ stock: '5.67', cogs: '-5.67' }); // 17 / 3
    expect(cr.issues[0]).toMatchObject({ issueId: 'i1', returnedQty: '1', returnedValue: '5.67' });
    keep(cr);
    // the caller's updated record limits the next return
    expect(() =>
      v.customerReturn({
        returnId: 'cr2',
        issueId: 'i1',
        date: day(5),
        qty: '3',
        original: store.get('i1') as IssueRecord,
      }),
    ).toThrow(expect.objectContaining({ code: 'COSTING_RETURN_EXCEEDS_ORIGINAL' }));

    const lc = v.landedCost({
      landedCostId: 'lc1',
      date: day(5),
      amount: '4',
      split: 'quantity',
      lines: [{ receiptId: 'r1', original: store.get('r1') as ReceiptRecord }, { receiptId: 'r2' }],
    });
    expect(lc.entries.map((e) => [e.ref, e.stock, e.cogs])).toEqual([
      ['r1', '0', '2'],
      ['r2', '1', '1'],
    ]);
    expect(lc.receipts.map((r) => [r.receiptId, r.landed])).toEqual([
      ['r1', '2'],
      ['r2', '2'],
    ]);
    expectBalanced(v);
  });

  it('forgetHistory drops closed records but keeps those still needed', () => {
    const v = createValuation({ method: 'average', allowNegativeStock: true });
    v.receive({ receiptId: 'r1', date: day(1), qty: '2', unitCost: '5' });
    v.issue({ issueId: 'i1', date: day(2), qty: '2' });
    v.receive({ receiptId: 'r2', date: day(3), qty: '2', unitCost: '5' });
    v.issue({ issueId: 'i2', date: day(4), qty: '3' }); // 1 below zero, pending
    v.forgetHistory();
    expect(v.toJSON().receipts).toEqual([]);
    expect(v.toJSON().issues.map((i) => i.issueId)).toEqual(['i2']);
    expect(v.pendingIssues()).toHaveLength(1);
    v.receive({ receiptId: 'r3', date: day(5), qty: '1', unitCost: '6' });
    expect(v.issueCost('i2')?.totalCogs).toBe('16');
  });
});
