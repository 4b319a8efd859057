// COGS of issues under each method, from receipts and issues posted to warehouses.
import { describe, expect, it } from 'vitest';
import {
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

export function methods(env: () => Env) {
  describe('costing warehouses moves by method', () => {
    it('a receipt event from warehouses updates costing; FIFO takes the oldest layers', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const [r1] = await receive(a, '2025-03-01T10:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '1' },
      ]);
      await costed(e, a, item, [r1!]);
      expect(await valuation(a, item)).toEqual({ [w.warehouse]: { qty: '10', value: '10' } });
      const [r2] = await receive(a, '2025-03-02T10:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '2' },
      ]);
      const [i1] = await issue(a, '2025-03-03T10:00:00Z', [
        { itemId: item, locationId: w.location, qty: '15' },
      ]);
      await costed(e, a, item, [r2!, i1!]);
      const cogs = await ok(a.costing.get(`/issues/${i1}`));
      expect(cogs).toMatchObject({
        issueId: i1,
        qty: '15',
        cogs: '20',
        totalCogs: '20',
        netCogs: '20',
        customer: 'Bob',
      });
      expect(await valuation(a, item)).toEqual({ [w.warehouse]: { qty: '5', value: '10' } });
      expect(await valuation(a, item, '2025-03-02T12:00:00Z')).toEqual({
        [w.warehouse]: { qty: '20', value: '30' },
      });
      expect(await valuation(a, item, '2025-02-28T00:00:00Z')).toEqual({});
      const detail = await ok(a.costing.get(`/items/${item}`));
      expect(detail.settings).toMatchObject({
        method: 'fifo',
        currencyDecimals: 2,
        allowNegativeStock: false,
      });
      expect(detail.valuations[0].layers).toEqual([
        { id: r2, kind: 'receipt', date: '2025-03-02T10:00:00.000000Z', qty: '5', value: '10' },
      ]);
    });

    it('costs the same moves under LIFO, moving average and standard cost', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const lifo = await newItem(a, { method: 'lifo' });
      const average = await newItem(a, { method: 'average' });
      const standard = await newItem(a, { method: 'standard', standardPrice: '1.6' });
      const items = [lifo, average, standard];
      const line = (itemId: string, qty: string, unitCost?: string) =>
        stockLine(w.location, itemId)(qty, unitCost);
      const r1 = await receive(
        a,
        '2025-04-01T10:00:00Z',
        items.map((i) => line(i, '10', '1')),
      );
      const r2 = await receive(
        a,
        '2025-04-02T10:00:00Z',
        items.map((i) => line(i, '10', '2')),
      );
      const iss = await issue(
        a,
        '2025-04-03T10:00:00Z',
        items.map((i) => line(i, '15')),
      );
      for (const [k, item] of items.entries()) await costed(e, a, item, [r1[k]!, r2[k]!, iss[k]!]);
      const cogs = await Promise.all(iss.map((id) => ok(a.costing.get(`/issues/${id}`))));
      // LIFO: 10 × 2 + 5 × 1; average: 15 × 1.5; standard: 15 × 1.6.
      expect(cogs.map((c) => c.cogs)).toEqual(['25', '22.5', '24']);
      expect(await valuation(a, lifo)).toEqual({ [w.warehouse]: { qty: '5', value: '5' } });
      expect(await valuation(a, average)).toEqual({ [w.warehouse]: { qty: '5', value: '7.5' } });
      expect(await valuation(a, standard)).toEqual({ [w.warehouse]: { qty: '5', value: '8' } });
      // Standard cost: the purchase price variance is 10 - 16 and 20 - 16.
      const period = await ok(a.costing.get(`/cogs?itemId=${standard}`));
      expect(period.totalCogs).toBe('24');
      const steps = await ok(a.costing.get(`/items/${standard}`));
      expect(steps.valuations[0]).toMatchObject({
        method: 'standard',
        unitCost: '1.6',
        qty: '5',
        value: '8',
      });
    });

    it('re-costs a valuation when a back-dated receipt arrives after later moves', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const line = stockLine(w.location, item);
      const [late] = await receive(a, '2025-05-02T00:00:00Z', [line('10', '2')]);
      await costed(e, a, item, [late!]);
      const [early] = await receive(a, '2025-05-01T00:00:00Z', [line('10', '1')]); // posted later, dated earlier
      const [out] = await issue(a, '2025-05-03T00:00:00Z', [line('10')]);
      await costed(e, a, item, [early!, out!]);
      // FIFO by date: the issue takes the receipt of the 1st, whatever the order they were posted in.
      expect((await ok(a.costing.get(`/issues/${out}`))).cogs).toBe('10');
      const detail = await ok(a.costing.get(`/items/${item}`));
      expect(detail.valuations[0].recosts).toBeGreaterThan(0);
      expect(detail.valuations[0].layers.map((l: { id: string }) => l.id)).toEqual([late]);
      expect(await valuation(a, item, '2025-05-01T12:00:00Z')).toEqual({
        [w.warehouse]: { qty: '10', value: '10' },
      });
    });
  });
}

export function ordering(env: () => Env) {
  describe('ordering', () => {
    it('costs receipts posted at once and out of date order exactly as the ledger orders them', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      // Eight receipts of one unit at 1…8 a unit, dated 1st…8th, posted concurrently in shuffled order:
      // the bus delivers them in any order, and some arrive after later-dated ones were costed.
      const order = [5, 2, 8, 1, 7, 3, 6, 4];
      const ids = await Promise.all(
        order.map((k) =>
          receive(a, `2025-08-0${k}T00:00:00Z`, [
            { itemId: item, locationId: w.location, qty: '1', unitCost: String(k) },
          ]),
        ),
      );
      const [sold] = await issue(a, '2025-08-09T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '5' },
      ]);
      await costed(e, a, item, [...ids.flat(), sold!]);
      expect((await ok(a.costing.get(`/issues/${sold}`))).cogs).toBe('15'); // 1 + 2 + 3 + 4 + 5
      expect(await valuation(a, item)).toEqual({ [w.warehouse]: { qty: '3', value: '21' } });
      expect(await valuation(a, item, '2025-08-04T12:00:00Z')).toEqual({
        [w.warehouse]: { qty: '4', value: '10' },
      });
    });
  });
}
