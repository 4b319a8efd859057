// Bad input is refused with a problem naming the field, and changes nothing; a twice-delivered
// event costs once; tenants never see each other's costing; negative stock waits, then is costed
// provisionally and corrected.
import type { TestResponse } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import {
  buildWorld,
  costed,
  type Env,
  issue,
  newItem,
  ok,
  receive,
  snapshot,
  valuation,
} from '../support/world.js';

export function guards(env: () => Env) {
  describe('guards', () => {
    it('refuses bad input with the engine’s code and field, and changes nothing', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const std = await newItem(a, { method: 'standard', standardPrice: '1' });
      const [po] = await receive(a, '2025-03-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '5', unitCost: '2' },
        { itemId: std, locationId: w.location, qty: '5', unitCost: '2' },
      ]);
      const [sold] = await issue(a, '2025-03-02T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '1' },
      ]);
      await costed(e, a, item, [po!, sold!]);
      const before = await snapshot(a, item);
      const refused = async (p: Promise<TestResponse>, status: number, code: string, field: string) => {
        const res = await p;
        expect([res.status, res.json.code, res.json.errors?.[0]?.field], JSON.stringify(res.json)).toEqual([
          status,
          code,
          field,
        ]);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      };
      await refused(
        a.costing.put(`/items/${item}/settings`, { method: 'lifo' }),
        422,
        'COSTING_REVALUATION_REQUIRED',
        '/body/revaluation',
      );
      await refused(
        a.costing.post('/landed-costs', {
          amount: '5',
          split: 'equal',
          lines: [{ receiptId: po }, { receiptId: sold }],
        }),
        422,
        'COSTING_NOT_A_RECEIPT',
        '/body/lines/1/receiptId',
      );
      await refused(
        a.costing.post('/landed-costs', {
          amount: '5',
          split: 'equal',
          lines: [{ receiptId: '00000000-0000-4000-8000-000000000000' }],
        }),
        404,
        'COSTING_UNKNOWN_RECEIPT',
        '/body/lines/0/receiptId',
      );
      await refused(
        a.costing.post('/landed-costs', { amount: '1.005', split: 'equal', lines: [{ receiptId: po }] }),
        400,
        'COSTING_INVALID_AMOUNT',
        '/body/amount',
      );
      await refused(
        a.costing.post('/landed-costs', { amount: '5', split: 'weight', lines: [{ receiptId: po }] }),
        400,
        'COSTING_INVALID_DECIMAL',
        '/body/lines/0/weight',
      );
      await refused(
        a.costing.post('/landed-costs', { amount: 5, split: 'equal', lines: [{ receiptId: po }] }),
        400,
        'ERP_VALIDATION',
        '/body/amount',
      );
      await refused(
        a.costing.post('/revaluations', { itemId: item, warehouseId: w.warehouse, amount: '-100' }),
        422,
        'COSTING_NEGATIVE_VALUE',
        '/body/amount',
      );
      await refused(
        a.costing.post('/revaluations', { itemId: std, amount: '1' }),
        422,
        'COSTING_INVALID_INPUT',
        '/body/amount',
      );
      await refused(
        a.costing.put(`/items/${item}/settings`, { method: 'fifo', currencyDecimals: 0 }),
        409,
        'COSTING_CURRENCY_LOCKED',
        '/body/currencyDecimals',
      );
      await refused(
        a.costing.put(`/items/${item}/settings`, { method: 'standard' }),
        422,
        'COSTING_INVALID_SETTING',
        '/body/standardPrice',
      );
      expect(await snapshot(a, item)).toEqual(before);
    });

    it('costs an event delivered twice once', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const [po] = await receive(a, '2025-03-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '3', unitCost: '1.1' },
      ]);
      const [sold] = await issue(a, '2025-03-02T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '1' },
      ]);
      await costed(e, a, item, [po!, sold!]);
      const before = await snapshot(a, item);
      // Replay every warehouses receipt and issue of the tenant to costing's subscriptions: the
      // bus delivers them again (a replay has its own inbox key), and costing must cost nothing.
      const subs = await ok(a.api.get('/api/v1/events/subscribers'));
      const keys = subs.items
        .map((s: { key: string }) => s.key)
        .filter((k: string) => /costing.*stock-(received|issued)/.test(k));
      expect(keys).toHaveLength(2);
      for (const subscriber of keys) {
        const res = await ok(a.api.post('/api/v1/events/replay', { subscriber, fromSequence: '1' }), 202);
        expect(res.events).toBeGreaterThan(0);
      }
      await e.kit.waitFor(async () => {
        const s = await ok(a.api.get('/api/v1/events/subscribers'));
        return s.items
          .filter((x: { key: string }) => keys.includes(x.key))
          .every((x: { pending: number }) => x.pending === 0);
      }, 20_000);
      expect(await snapshot(a, item)).toEqual(before);
      const dead = await ok(a.api.get('/api/v1/events/dead-letters'));
      expect(dead.items.filter((d: { subscriber: string }) => keys.includes(d.subscriber))).toEqual([]);
    });

    it('keeps each tenant’s costing to itself', async () => {
      const e = env();
      const { a, b } = e;
      const wa = await buildWorld(a);
      const wb = await buildWorld(b);
      const itemA = await newItem(a);
      const itemB = await newItem(b, { method: 'average' });
      const [poA] = await receive(a, '2025-03-01T00:00:00Z', [
        { itemId: itemA, locationId: wa.location, qty: '2', unitCost: '7' },
      ]);
      const [poB] = await receive(b, '2025-03-01T00:00:00Z', [
        { itemId: itemB, locationId: wb.location, qty: '3', unitCost: '5' },
      ]);
      await costed(e, a, itemA, [poA!]);
      await costed(e, b, itemB, [poB!]);
      expect(await valuation(a, itemA)).toEqual({ [wa.warehouse]: { qty: '2', value: '14' } });
      expect(await valuation(b, itemB)).toEqual({ [wb.warehouse]: { qty: '3', value: '15' } });
      // B sees nothing of A's item, receipt or valuation, and cannot land a cost on A's receipt.
      expect(await valuation(b, itemA)).toEqual({});
      const bItem = await b.costing.get(`/items/${itemA}`);
      expect([bItem.status, bItem.json.code]).toEqual([404, 'COSTING_UNKNOWN_ITEM']);
      const all = await ok(b.costing.get('/valuation'));
      expect(all.rows.map((r: { itemId: string }) => r.itemId)).toEqual([itemB]);
      const steal = await b.costing.post('/landed-costs', {
        amount: '1',
        split: 'equal',
        lines: [{ receiptId: poA }],
      });
      expect([steal.status, steal.json.code]).toEqual([404, 'COSTING_UNKNOWN_RECEIPT']);
      expect((await b.costing.get(`/issues/${poA}`)).status).toBe(404);
    });

    it('waits for stock it never saw, then costs below zero and corrects when stock arrives', async () => {
      const e = env();
      // A tenant that ran warehouses before it installed costing: costing never saw the first receipt.
      const c = await e.kit.addTenant({ install: false });
      const t = {
        tenantId: c.tenantId,
        api: c.api,
        wh: {
          ...c.api,
          get: (p: string) => c.api.get(`/api/v1/p/warehouses${p}`),
          post: (p: string, b?: unknown) => c.api.post(`/api/v1/p/warehouses${p}`, b),
          put: (p: string, b?: unknown) => c.api.put(`/api/v1/p/warehouses${p}`, b),
        },
        costing: {
          ...c.api,
          get: (p: string) => c.api.get(`/api/v1/p/costing${p}`),
          post: (p: string, b?: unknown) => c.api.post(`/api/v1/p/costing${p}`, b),
          put: (p: string, b?: unknown) => c.api.put(`/api/v1/p/costing${p}`, b),
        },
      };
      await ok(c.api.post('/api/v1/plugins/installations', { plugin: '@erp-plugin/warehouses' }), 201);
      const w = await buildWorld(t);
      const item = await newItem(t);
      await receive(t, '2025-03-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '5', unitCost: '2' },
      ]);
      await ok(c.api.post('/api/v1/plugins/installations', { plugin: '@erp-plugin/costing' }), 201);
      const [sold] = await issue(t, '2025-03-02T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '4' },
      ]);
      await costed(e, t, item, [sold!], true);
      const waiting = await ok(t.costing.get(`/items/${item}`));
      expect(waiting.valuations[0].waiting).toEqual([
        expect.objectContaining({ id: sold, kind: 'issue', errorCode: 'COSTING_INSUFFICIENT_STOCK' }),
      ]);
      const report = await ok(t.costing.get('/valuation'));
      expect(report.rows).toEqual([
        expect.objectContaining({ itemId: item, qty: '0', value: '0', waiting: 1 }),
      ]);

      // Allowing negative stock costs it at the last known cost (none yet: zero), pending…
      const allowed = await ok(
        t.costing.put(`/items/${item}/settings`, { method: 'fifo', allowNegativeStock: true }),
      );
      expect(allowed.valuations[0]).toMatchObject({ qty: '-4', value: '0', waiting: [] });
      expect(await ok(t.costing.get(`/issues/${sold}`))).toMatchObject({ cogs: '0', pendingQty: '4' });
      // no cost price and no purchase price anywhere: zero, and the step says so (issue 14)
      const steps = (await ok(t.costing.get(`/steps?itemId=${item}`))).steps;
      expect(steps.find((s: { id: string }) => s.id === sold).warning).toMatch(
        /^COSTING_ZERO_COST_FALLBACK: /,
      );
      // …and the next receipt corrects that issue's COGS at its own cost.
      const [po] = await receive(t, '2025-03-03T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '3' },
      ]);
      await costed(e, t, item, [po!]);
      expect(await ok(t.costing.get(`/issues/${sold}`))).toMatchObject({
        cogs: '0',
        totalCogs: '12',
        pendingQty: '0',
      });
      expect(await valuation(t, item)).toEqual({ [w.warehouse]: { qty: '6', value: '18' } });
      const off = await t.costing.put(`/items/${item}/settings`, {
        method: 'fifo',
        allowNegativeStock: false,
      });
      expect(off.status).toBe(200);
    });
  });
}
