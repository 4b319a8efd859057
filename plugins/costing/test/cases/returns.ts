// Returns both ways, and transfers between warehouses.
import { describe, expect, it } from 'vitest';
import { buildWorld, costed, type Env, issue, newItem, ok, receive, valuation } from '../support/world.js';

export function returnsAndTransfers(env: () => Env) {
  describe('returns and transfers', () => {
    it('takes customer returns back at the issue’s cost and sends vendor returns at the receipt’s', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const line = (qty: string, extra: object = {}) => ({
        itemId: item,
        locationId: w.location,
        qty,
        ...extra,
      });
      const [r1] = await receive(a, '2025-06-01T00:00:00Z', [line('10', { unitCost: '1' })]);
      const [r2] = await receive(a, '2025-06-02T00:00:00Z', [line('10', { unitCost: '2' })]);
      const [sold] = await issue(a, '2025-06-03T00:00:00Z', [line('15')]);
      const [back] = await receive(a, '2025-06-04T00:00:00Z', [line('3', { returnOf: sold })]);
      const [toVendor] = await issue(a, '2025-06-05T00:00:00Z', [line('2', { returnOf: r2 })]);
      await costed(e, a, item, [r1!, r2!, sold!, back!, toVendor!]);
      // The issue cost 20 for 15: 3 come back at 4. Receipt 2 goes back at its own 2 a unit.
      expect(await ok(a.costing.get(`/issues/${sold}`))).toMatchObject({
        cogs: '20',
        returnedQty: '3',
        returnedValue: '4',
        netCogs: '16',
      });
      expect(await valuation(a, item)).toEqual({ [w.warehouse]: { qty: '6', value: '10' } });
      const detail = await ok(a.costing.get(`/items/${item}`));
      expect(detail.valuations[0].layers).toEqual([
        expect.objectContaining({ id: r2, qty: '3', value: '6' }),
        expect.objectContaining({ id: back, kind: 'return', qty: '3', value: '4' }),
      ]);
    });

    it('moves value between warehouses with a transfer, at the cost it left with', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const [r1] = await receive(a, '2025-07-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '1' },
      ]);
      const [r2] = await receive(a, '2025-07-02T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '3' },
      ]);
      const t = await ok(
        a.wh.post('/transfers', {
          fromLocationId: w.location,
          toLocationId: w.location2,
          lines: [{ itemId: item, qty: '12' }],
        }),
        201,
      );
      const approved = await ok(
        a.wh.post(`/transfers/${t.id}/approve`, { effectiveAt: '2025-07-03T00:00:00Z' }),
      );
      const legs = approved.moves.map((m: { id: string }) => m.id);
      const [sold] = await issue(a, '2025-07-04T00:00:00Z', [
        { itemId: item, locationId: w.location2, qty: '6' },
      ]);
      await costed(e, a, item, [r1!, r2!, ...legs, sold!]);
      // Out of the first warehouse FIFO: 10 × 1 + 2 × 3 = 16; into the second at 16 for 12.
      expect(await valuation(a, item)).toEqual({
        [w.warehouse]: { qty: '8', value: '24' },
        [w.warehouse2]: { qty: '6', value: '8' },
      });
      expect((await ok(a.costing.get(`/issues/${sold}`))).cogs).toBe('8');
      // A transfer is not a sale: the item's COGS is the issue's only.
      expect((await ok(a.costing.get(`/cogs?itemId=${item}`))).totalCogs).toBe('8');
    });

    it('costs returns into another warehouse than the original move at the original’s cost', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const [r1] = await receive(a, '2025-09-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '2' },
      ]);
      const [sold] = await issue(a, '2025-09-02T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '4' },
      ]);
      await costed(e, a, item, [r1!, sold!]);
      // 6 of 10 on hand: 3.60 of the 6.00 freight is capitalised, 2.40 expensed.
      await ok(
        a.costing.post('/landed-costs', {
          date: '2025-09-03T00:00:00Z',
          amount: '6',
          split: 'quantity',
          lines: [{ receiptId: r1 }],
        }),
        201,
      );
      // One unit comes back into the second warehouse, at the issue's 2 a unit…
      const [back] = await receive(a, '2025-09-04T00:00:00Z', [
        { itemId: item, locationId: w.location2, qty: '1', returnOf: sold },
      ]);
      // …3 units follow by transfer at 15.60 / 6 = 2.60 a unit…
      const t = await ok(
        a.wh.post('/transfers', {
          fromLocationId: w.location,
          toLocationId: w.location2,
          lines: [{ itemId: item, qty: '3' }],
        }),
        201,
      );
      const legs = (
        await ok(a.wh.post(`/transfers/${t.id}/approve`, { effectiveAt: '2025-09-05T00:00:00Z' }))
      ).moves.map((m: { id: string }) => m.id);
      // …and 2 go back to the vendor from there: out FIFO at 2 + 2.60, credited at the receipt's
      // (20 + 6) / 10 = 2.60 a unit: 5.20, a variance of -0.60.
      const [toVendor] = await issue(a, '2025-09-06T00:00:00Z', [
        { itemId: item, locationId: w.location2, qty: '2', returnOf: r1 },
      ]);
      await costed(e, a, item, [back!, ...legs, toVendor!]);
      expect(await ok(a.costing.get(`/issues/${sold}`))).toMatchObject({
        cogs: '8',
        returnedQty: '1',
        returnedValue: '2',
        netCogs: '6',
      });
      expect(await valuation(a, item)).toEqual({
        [w.warehouse]: { qty: '3', value: '7.8' },
        [w.warehouse2]: { qty: '2', value: '5.2' },
      });
      const detail = await ok(a.costing.get(`/items/${item}`));
      const second = detail.valuations.find((v: { warehouseId: string }) => v.warehouseId === w.warehouse2);
      expect(second.totals).toMatchObject({
        received: '-5.2',
        cogs: '-2',
        variance: '-0.6',
        transfer: '-7.8',
      });
      const first = detail.valuations.find((v: { warehouseId: string }) => v.warehouseId === w.warehouse);
      expect(first.totals).toMatchObject({ received: '20', landed: '6', cogs: '10.4', transfer: '7.8' });
    });

    it('follows a re-cost of the sending warehouse into the receiving one', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const [r1] = await receive(a, '2025-10-02T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '1' },
      ]);
      const t = await ok(
        a.wh.post('/transfers', {
          fromLocationId: w.location,
          toLocationId: w.location2,
          lines: [{ itemId: item, qty: '5' }],
        }),
        201,
      );
      const legs = (
        await ok(a.wh.post(`/transfers/${t.id}/approve`, { effectiveAt: '2025-10-03T00:00:00Z' }))
      ).moves.map((m: { id: string }) => m.id);
      await costed(e, a, item, [r1!, ...legs]);
      expect(await valuation(a, item)).toEqual({
        [w.warehouse]: { qty: '5', value: '5' },
        [w.warehouse2]: { qty: '5', value: '5' },
      });
      // A receipt dated before everything: FIFO now sends its units, at 3, to the second warehouse.
      const [early] = await receive(a, '2025-10-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '3' },
      ]);
      await costed(e, a, item, [early!]);
      await e.kit.waitFor(async () => (await valuation(a, item))[w.warehouse2]?.value === '15');
      expect(await valuation(a, item)).toEqual({
        [w.warehouse]: { qty: '15', value: '25' },
        [w.warehouse2]: { qty: '5', value: '15' },
      });
    });

    it('values adjustments out at cost and stock found at the current unit cost, apart from COGS', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a, { method: 'average' });
      const [r1] = await receive(a, '2025-11-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '2.5' },
      ]);
      const adjust = (qty: string, at: string) =>
        ok(
          a.wh.post('/adjustments', {
            reason: 'damaged',
            effectiveAt: at,
            lines: [{ itemId: item, locationId: w.location, qty }],
          }),
          201,
        );
      const lost = (await adjust('-3', '2025-11-02T00:00:00Z')).moves[0].id;
      const found = (await adjust('1', '2025-11-03T00:00:00Z')).moves[0].id;
      await costed(e, a, item, [r1!, lost, found]);
      expect(await valuation(a, item)).toEqual({ [w.warehouse]: { qty: '8', value: '20' } });
      const detail = await ok(a.costing.get(`/items/${item}`));
      expect(detail.valuations[0].totals).toMatchObject({ received: '25', cogs: '0', adjustment: '5' });
      expect((await ok(a.costing.get(`/cogs?itemId=${item}`))).totalCogs).toBe('0');
    });
  });
}
