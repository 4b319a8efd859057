// Landed costs against receipts: capitalised for units on hand, COGS for units issued, the rounding
// leftover on the last line, across items and warehouses; revaluations and a method change.
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
  valuation,
} from '../support/world.js';

export function landedCosts(env: () => Env) {
  describe('landed costs and revaluations', () => {
    it('splits by quantity: the issued share goes to COGS, the on-hand share into the layer', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const line = stockLine(w.location, item);
      const [po1] = await receive(a, '2025-03-01T00:00:00Z', [line('10', '1')]);
      const [po2] = await receive(a, '2025-03-02T00:00:00Z', [line('10', '2')]);
      const [sold] = await issue(a, '2025-03-03T00:00:00Z', [line('15')]);
      await costed(e, a, item, [po1!, po2!, sold!]);
      const lc = await ok(
        a.costing.post('/landed-costs', {
          reference: 'freight-7',
          date: '2025-03-05T00:00:00Z',
          amount: '12.50',
          split: 'quantity',
          lines: [{ receiptId: po1 }, { receiptId: po2 }],
        }),
        201,
      );
      // 6.25 each; po-1 is all issued; half of po-2 is on hand: 3.125 → 3.13 capitalised.
      expect(lc.lines.map((l: Body) => [l.share, l.capitalised, l.expensed])).toEqual([
        ['6.25', '0', '6.25'],
        ['6.25', '3.13', '3.12'],
      ]);
      expect(await ok(a.costing.get(`/landed-costs/${lc.id}`))).toEqual(lc);
      expect(await valuation(a, item)).toEqual({ [w.warehouse]: { qty: '5', value: '13.13' } });
      expect((await ok(a.costing.get(`/cogs?itemId=${item}`))).totalCogs).toBe('29.37');
    });

    it('splits by weight over items in two warehouses, the leftover cent on the last line', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const [x, y] = [await newItem(a), await newItem(a, { method: 'average' })];
      const moves = await receive(a, '2025-03-01T00:00:00Z', [
        { itemId: x, locationId: w.location, qty: '1', unitCost: '10' },
        { itemId: y, locationId: w.location, qty: '2', unitCost: '10' },
        { itemId: y, locationId: w.location2, qty: '3', unitCost: '10' },
      ]);
      await costed(e, a, x, [moves[0]!]);
      await costed(e, a, y, [moves[1]!, moves[2]!]);
      const lc = await ok(
        a.costing.post('/landed-costs', {
          amount: '100',
          split: 'weight',
          lines: moves.map((receiptId) => ({ receiptId, weight: '1.5' })),
        }),
        201,
      );
      expect(lc.lines.map((l: Body) => l.share)).toEqual(['33.33', '33.33', '33.34']);
      expect(await valuation(a, x)).toEqual({ [w.warehouse]: { qty: '1', value: '43.33' } });
      expect(await valuation(a, y)).toEqual({
        [w.warehouse]: { qty: '2', value: '53.33' },
        [w.warehouse2]: { qty: '3', value: '63.34' },
      });
    });

    it('revalues stock, sets a new standard price, and changes method with an explicit revaluation', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const fifo = await newItem(a);
      const standard = await newItem(a, { method: 'standard', standardPrice: '2' });
      const moves = await receive(a, '2025-03-01T00:00:00Z', [
        { itemId: fifo, locationId: w.location, qty: '4', unitCost: '2' },
        { itemId: standard, locationId: w.location, qty: '4', unitCost: '2.5' },
      ]);
      await costed(e, a, fifo, [moves[0]!]);
      await costed(e, a, standard, [moves[1]!]);
      const rv = await ok(
        a.costing.post('/revaluations', { itemId: fifo, warehouseId: w.warehouse, amount: '-1.50' }),
        201,
      );
      expect(rv.lines).toEqual([{ warehouseId: w.warehouse, change: '-1.5', qty: '4', value: '6.5' }]);
      const sp = await ok(a.costing.post('/revaluations', { itemId: standard, unitCost: '2.25' }), 201);
      expect(sp.lines).toEqual([{ warehouseId: w.warehouse, change: '1', qty: '4', value: '9' }]);
      expect((await ok(a.costing.get(`/items/${standard}`))).settings.standardPrice).toBe('2.25');

      const changed = await ok(
        a.costing.put(`/items/${fifo}/settings`, { method: 'average', revaluation: { unitCost: '1.75' } }),
      );
      expect(changed.settings.method).toBe('average');
      expect(changed.valuations[0]).toMatchObject({ method: 'average', qty: '4', value: '7' });
      const [sold] = await issue(a, new Date().toISOString(), [
        { itemId: fifo, locationId: w.location, qty: '1' },
      ]);
      await costed(e, a, fifo, [sold!]);
      expect((await ok(a.costing.get(`/issues/${sold}`))).cogs).toBe('1.75');
    });
  });
}
