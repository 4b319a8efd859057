// Issue 14: repack / kitting as one document: components consumed, the product received at their
// cost plus an additional cost; all or nothing. Figures computed by hand.
// Behaviour learnt from (not copied): ERPNext's erpnext/stock/doctype/stock_entry/test_stock_entry.py
// (repack with additional costs: the finished item's rate = consumed value + additional cost).
import { describe, expect, it } from 'vitest';
import { CostingError, createValuation, repack } from '../../src/index.js';
import { day, expectBalanced } from './support.js';

function stock() {
  const a = createValuation({ method: 'fifo' });
  a.receive({ receiptId: 'ra', date: day(1), qty: '10', unitCost: '2' });
  const b = createValuation({ method: 'average' });
  b.receive({ receiptId: 'rb1', date: day(1), qty: '4', unitCost: '5' });
  b.receive({ receiptId: 'rb2', date: day(2), qty: '4', unitCost: '6' }); // 8 at 5.5
  const kit = createValuation({ method: 'fifo' });
  return { a, b, kit };
}

describe('repack', () => {
  it('costs the product at the components plus the additional cost', () => {
    const { a, b, kit } = stock();
    const r = repack({
      repackId: 'rp1',
      date: day(3),
      components: [
        { valuation: a, qty: '3' }, // 3 × 2 = 6
        { valuation: b, qty: '2' }, // 2 × 5.5 = 11
      ],
      product: { valuation: kit, qty: '2' },
      additionalCost: '3.50',
    });
    expect(r).toMatchObject({ cost: '20.5', unitCost: '10.25' });
    expect(r.components.map((c) => [c.entries[0]!.type, c.cogs])).toEqual([
      ['repack_consume', '6'],
      ['repack_consume', '11'],
    ]);
    expect(r.product.entries[0]).toMatchObject({ type: 'repack_produce', qty: '2', stock: '20.5' });
    expect(kit.layers()).toEqual([{ id: 'rp1', kind: 'receipt', date: day(3), qty: '2', value: '20.5' }]);
    for (const v of [a, b, kit]) expectBalanced(v);
  });

  it('changes nothing when a component is refused, and names it', () => {
    const { a, b, kit } = stock();
    const before = [a, b, kit].map((v) => JSON.stringify(v.toJSON()));
    let error: unknown;
    try {
      repack({
        repackId: 'rp1',
        date: day(3),
        components: [
          { valuation: b, qty: '2' }, // issued first, then put back
          { valuation: a, qty: '20' }, // only 10 on hand
        ],
        product: { valuation: kit, qty: '1' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CostingError);
    expect(error).toMatchObject({ code: 'COSTING_INSUFFICIENT_STOCK', field: 'components/1/qty' });
    expect([a, b, kit].map((v) => JSON.stringify(v.toJSON()))).toEqual(before);
  });

  it('refuses the same valuation twice', () => {
    const { a, kit } = stock();
    expect(() =>
      repack({
        repackId: 'x',
        date: day(3),
        components: [{ valuation: a, qty: '1' }],
        product: { valuation: a, qty: '1' },
      }),
    ).toThrow(expect.objectContaining({ code: 'COSTING_INVALID_REPACK' }));
    expect(kit.qtyOnHand()).toBe('0');
  });
});
