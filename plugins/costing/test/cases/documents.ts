// Issue 14 over HTTP: a repack (ERPNext's Repack stock entry: product = components' cost +
// additional cost) and a stock reconciliation (ERPNext's Stock Reconciliation: quantity and rate set
// absolutely, the FIFO queue reset to one layer, as erpnext/stock/doctype/stock_reconciliation's
// tests show), posted to warehouses and costed from its events, in both tenants. Figures by hand.
import { describe, expect, it } from 'vitest';
import {
  type Body,
  buildWorld,
  costed,
  type Env,
  issue,
  newItem,
  ok,
  receive,
  stockLine,
  type Tenant,
  valuation,
} from '../support/world.js';

export function documents(env: () => Env) {
  describe('issue 14: repack and stock reconciliation', () => {
    it('a repack values the product at the components’ cost plus the additional cost', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const [a, b, kit] = [await newItem(t), await newItem(t), await newItem(t)];
        const [ra] = await receive(t, '2025-08-01T00:00:00Z', [stockLine(w.location, a)('10', '3')]);
        const [rb] = await receive(t, '2025-08-01T00:00:00Z', [stockLine(w.location, b)('4', '2.5')]);
        const doc = await ok(
          t.wh.post('/repacks', {
            effectiveAt: '2025-08-02T00:00:00Z',
            additionalCost: '7',
            components: [
              { itemId: a, locationId: w.location, qty: '6' },
              { itemId: b, locationId: w.location, qty: '2' },
            ],
            product: { itemId: kit, locationId: w.location, qty: '4' },
          }),
          201,
        );
        expect(doc).toMatchObject({ purpose: 'repack', additionalCost: '7' });
        const moves = doc.moves.map((m: Body) => m.id as string);
        await costed(e, t, a, [ra!, moves[0]]);
        await costed(e, t, b, [rb!, moves[1]]);
        await costed(e, t, kit, [moves[2]]);
        // 6 × 3 + 2 × 2.5 + 7 = 30 for 4 kits (7.5 each); 4 of A left at 3, 2 of B at 2.5
        expect((await valuation(t, kit))[w.warehouse]).toEqual({ qty: '4', value: '30' });
        expect((await valuation(t, a))[w.warehouse]).toEqual({ qty: '4', value: '12' });
        expect((await valuation(t, b))[w.warehouse]).toEqual({ qty: '2', value: '5' });
        const [sale] = await issue(t, '2025-08-03T00:00:00Z', [stockLine(w.location, kit)('1')]);
        await costed(e, t, kit, [sale!]);
        expect((await ok(t.costing.get(`/issues/${sale}`))).totalCogs).toBe('7.5');
        // consuming components is not a sale: no COGS on A
        expect((await ok(t.costing.get(`/cogs?itemId=${a}`))).totalCogs).toBe('0');
        return { w, a, b, kit, doc, sale: sale! };
      };
      const first = await run(e.a);
      // cancelling the sale, then the repack, puts the components back at their cost: A 10 at 3, B 4 at 2.5
      const { w: fw, a: fa, b: fb, kit: fk } = first;
      const saleDoc = (await ok(e.a.wh.get(`/moves/${first.sale}`))).documentId;
      await ok(e.a.wh.post(`/documents/${saleDoc}/cancel`, {}), 201);
      await ok(e.a.wh.post(`/documents/${first.doc.id}/cancel`, {}), 201);
      await e.kit.waitFor(async () => {
        const v = await valuation(e.a, fa);
        return v[fw.warehouse]?.qty === '10';
      }, 20_000);
      await costed(e, e.a, fk, []);
      expect((await valuation(e.a, fa))[fw.warehouse]).toEqual({ qty: '10', value: '30' });
      await e.kit.waitFor(async () => (await valuation(e.a, fb))[fw.warehouse]?.qty === '4', 20_000);
      expect((await valuation(e.a, fb))[fw.warehouse]).toEqual({ qty: '4', value: '10' });
      await e.kit.waitFor(async () => (await valuation(e.a, fk))[fw.warehouse] === undefined, 20_000);
      await run(e.b);
      // refused: the product among the components, and too little of a component (naming the warehouse)
      const w = await buildWorld(e.a);
      const x = await newItem(e.a);
      const y = await newItem(e.a);
      const same = await ok(
        e.a.wh.post('/repacks', {
          components: [{ itemId: x, locationId: w.location, qty: '1' }],
          product: { itemId: x, locationId: w.location, qty: '1' },
        }),
        422,
      );
      expect(same.errors[0].field).toBe('/body/components/0/itemId');
      const short = await ok(
        e.a.wh.post('/repacks', {
          components: [{ itemId: x, locationId: w.location, qty: '1' }],
          product: { itemId: y, locationId: w.location, qty: '1' },
        }),
        409,
      );
      expect(short).toMatchObject({ code: 'WAREHOUSES_INSUFFICIENT_STOCK' });
      expect(short.errors[0].field).toBe('/body/components/0/qty');
      expect(short.detail).toMatch(/in warehouse /);
    });

    it('a reconciliation sets quantity and rate; the next issue is costed at the rate', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const c = await newItem(t);
        const d = await newItem(t);
        const [r1, r2] = await receive(t, '2025-09-01T00:00:00Z', [
          stockLine(w.location, c)('10', '4'),
          stockLine(w.location, c)('5', '6'),
        ]);
        const [r3] = await receive(t, '2025-09-01T00:00:00Z', [stockLine(w.location, d)('8', '2')]);
        await costed(e, t, c, [r1!, r2!]);
        await costed(e, t, d, [r3!]);
        const doc = await ok(
          t.wh.post('/reconciliations', {
            lines: [
              { itemId: c, locationId: w.location, qty: '12', unitCost: '5' },
              { itemId: d, locationId: w.location, qty: '8', unitCost: '2.5' },
            ],
          }),
          201,
        );
        // C: 15 → 12 (a move of −3); D: 8 → 8 (no move, only the rate)
        expect(doc.lines.map((l: Body) => [l.difference, l.warehouseQty])).toEqual([
          ['-3', '12'],
          ['0', '8'],
        ]);
        expect(doc.moves).toHaveLength(1);
        await costed(e, t, c, [doc.lines[0].lineId]);
        await costed(e, t, d, [doc.lines[1].lineId]);
        // 10 × 4 + 5 × 6 = 70 → 12 × 5 = 60 (a revaluation of −10); D: 16 → 8 × 2.5 = 20
        expect((await valuation(t, c))[w.warehouse]).toEqual({ qty: '12', value: '60' });
        expect((await valuation(t, d))[w.warehouse]).toEqual({ qty: '8', value: '20' });
        const [sale] = await issue(t, new Date().toISOString(), [stockLine(w.location, c)('3')]);
        await costed(e, t, c, [sale!]);
        expect((await ok(t.costing.get(`/issues/${sale}`))).totalCogs).toBe('15');
        return { w, c };
      };
      const { w, c } = await run(e.a);
      await run(e.b);
      const dup = await ok(
        e.a.wh.post('/reconciliations', {
          lines: [
            { itemId: c, locationId: w.location, qty: '1', unitCost: '1' },
            { itemId: c, locationId: w.location, qty: '2', unitCost: '1' },
          ],
        }),
        422,
      );
      expect(dup).toMatchObject({ code: 'WAREHOUSES_RECONCILIATION_DUPLICATE_ITEM' });
    });
  });
}
