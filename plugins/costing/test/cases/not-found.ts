// Ids that name nothing answer 404 with a problem body (issue 20: GET /items/<unknown id> answered
// 200 with default settings), including another tenant's ids; an item costing knows only by its
// settings is found.
import { describe, expect, it } from 'vitest';
import { buildWorld, costed, type Env, newItem, ok, receive } from '../support/world.js';

const UNKNOWN = '00000000-0000-4000-8000-00000000abcd';

export function notFoundCases(env: () => Env) {
  describe('unknown ids', () => {
    it('answers 404 with a problem for every route that reads an id', async () => {
      const { a } = env();
      const routes: [string, string, string][] = [
        [`/items/${UNKNOWN}`, 'COSTING_UNKNOWN_ITEM', '/params/itemId'],
        [`/landed-costs/${UNKNOWN}`, 'COSTING_LANDED_COST_NOT_FOUND', '/params/id'],
        [`/issues/${UNKNOWN}`, 'COSTING_UNKNOWN_ISSUE', '/params/id'],
      ];
      for (const [path, code, field] of routes) {
        const res = await a.costing.get(path);
        expect([res.status, res.json?.code, res.json?.errors?.[0]?.field], path).toEqual([404, code, field]);
        expect(res.headers['content-type'], path).toMatch(/application\/problem\+json/);
      }
    });

    it('answers 404 for an item known only to another tenant, 200 once the item has settings', async () => {
      const { a, b } = env();
      const w = await buildWorld(a);
      const item = await newItem(a);
      // Costing has never heard of a fresh item: no settings, no stock moves.
      expect((await a.costing.get(`/items/${item}`)).status).toBe(404);
      const [po] = await receive(a, '2025-05-01T00:00:00Z', [
        { itemId: item, locationId: w.location, qty: '1', unitCost: '3' },
      ]);
      await costed(env(), a, item, [po!]);
      expect((await ok(a.costing.get(`/items/${item}`))).valuations).toHaveLength(1);
      const other = await b.costing.get(`/items/${item}`);
      expect([other.status, other.json.code]).toEqual([404, 'COSTING_UNKNOWN_ITEM']);
      const configured = await newItem(a, { method: 'standard', standardPrice: '4' });
      const detail = await ok(a.costing.get(`/items/${configured}`));
      expect([detail.settings.method, detail.valuations]).toEqual(['standard', []]);
    });
  });
}
