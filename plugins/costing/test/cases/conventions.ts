// Issue 14 over HTTP: landed cost after a sale under both conventions (tenant a: Odoo's 'expense',
// the default; tenant b: ERPNext's 'recost'), and a unit cost set on an average item with nothing on
// hand. Figures computed by hand.
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

/** Tenant b follows ERPNext's conventions; tenant a keeps the defaults (Odoo's). */
async function followErpnext(t: Tenant) {
  await ok(
    t.api.put('/api/v1/plugins/installations/costing/config', {
      config: { landedCostAfterSale: 'recost', averageVendorReturn: 'receipt' },
    }),
  );
}

export function conventions(env: () => Env) {
  describe('issue 14 conventions', () => {
    it('landed cost after a sale: expensed on its date (a) or re-costing the past issue (b)', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const item = await newItem(t);
        const line = stockLine(w.location, item);
        const [po] = await receive(t, '2025-05-01T00:00:00Z', [line('10', '1')]);
        const [sold] = await issue(t, '2025-05-02T00:00:00Z', [line('4')]);
        await costed(e, t, item, [po!, sold!]);
        const lc = await ok(
          t.costing.post('/landed-costs', {
            date: '2025-05-03T00:00:00Z',
            amount: '10',
            split: 'equal',
            lines: [{ receiptId: po }],
          }),
          201,
        );
        const cogs = await ok(t.costing.get(`/cogs?itemId=${item}`));
        const sale = cogs.items.find((i: Body) => i.issueId === sold);
        return {
          lc,
          sale,
          item,
          sold,
          warehouse: w.warehouse,
          value: (await valuation(t, item))[w.warehouse],
          totalCogs: cogs.totalCogs,
        };
      };
      await followErpnext(e.b);
      const [odoo, erpnext] = [await run(e.a), await run(e.b)];
      // Odoo: 10 × 6/10 = 6 capitalised, 4 to COGS on 05-03; the sale keeps its 4 × 1 = 4
      expect(odoo.lc.lines[0]).toMatchObject({ share: '10', capitalised: '6', expensed: '4' });
      expect(odoo.sale.totalCogs).toBe('4');
      // ERPNext: the receipt is worth 20 from the start; the sale is re-costed to 4 × 2 = 8
      expect(erpnext.lc.lines[0]).toMatchObject({ share: '10', capitalised: '10', expensed: '0' });
      expect(erpnext.sale.totalCogs).toBe('8');
      // cancelling the landed cost reposts: the sale is back at 4, 6 on hand at 6
      await ok(e.b.costing.post(`/landed-costs/${erpnext.lc.id}/cancel`, {}));
      const after = await ok(e.b.costing.get(`/cogs?itemId=${erpnext.item}`));
      expect(after.items.find((i: Body) => i.issueId === erpnext.sold).totalCogs).toBe('4');
      expect(await valuation(e.b, erpnext.item)).toEqual({ [erpnext.warehouse]: { qty: '6', value: '6' } });
      // the same totals either way: 12 on hand, 8 COGS
      for (const r of [odoo, erpnext]) {
        expect(r.value).toEqual({ qty: '6', value: '12' });
        expect(r.totalCogs).toBe('8');
      }
    });

    it('vendor return under average: at the average (a, Odoo) or at the receipt cost (b, ERPNext)', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const item = await newItem(t, { method: 'average' });
        const line = stockLine(w.location, item);
        const [r1] = await receive(t, '2025-06-01T00:00:00Z', [line('10', '10')]); // 100
        const [r2] = await receive(t, '2025-06-02T00:00:00Z', [line('10', '20')]); // 200: average 15
        const [back] = await issue(t, '2025-06-03T00:00:00Z', [{ ...line('5'), returnOf: r1 }]);
        await costed(e, t, item, [r1!, r2!, back!]);
        return (await valuation(t, item))[w.warehouse];
      };
      await followErpnext(e.b);
      // Odoo: 5 × 15 = 75 leave (credit 50, variance 25): 225; ERPNext: 50 leave: 250
      expect(await run(e.a)).toEqual({ qty: '15', value: '225' });
      expect(await run(e.b)).toEqual({ qty: '15', value: '250' });
    });

    it('average: a unit cost with nothing on hand revalues nothing and becomes the cost price', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a, { method: 'average' });
      const line = stockLine(w.location, item);
      const [po] = await receive(a, '2025-05-01T00:00:00Z', [line('5', '2')]);
      const [sold] = await issue(a, '2025-05-02T00:00:00Z', [line('5')]);
      await costed(e, a, item, [po!, sold!]);
      const rv = await ok(a.costing.post('/revaluations', { itemId: item, unitCost: '3' }), 201);
      expect(rv.lines).toEqual([{ warehouseId: w.warehouse, change: '0', qty: '0', value: '0' }]);
      expect((await ok(a.costing.get(`/items/${item}`))).settings.standardPrice).toBe('3');
      // FIFO still refuses: its cost comes only from layers
      const fifo = await newItem(a);
      const [po2] = await receive(a, '2025-05-01T00:00:00Z', [stockLine(w.location, fifo)('1', '1')]);
      const [out] = await issue(a, '2025-05-02T00:00:00Z', [stockLine(w.location, fifo)('1')]);
      await costed(e, a, fifo, [po2!, out!]);
      const refused = await a.costing.post('/revaluations', { itemId: fifo, unitCost: '3' });
      expect([refused.status, refused.json.code]).toEqual([422, 'COSTING_NO_STOCK_TO_REVALUE']);
    });
  });
}
