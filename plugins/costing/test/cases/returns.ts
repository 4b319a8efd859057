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
  });
}
