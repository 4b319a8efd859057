// The value of stock over time (GET /valuation/history): each point equals the valuation report at
// that instant; filters by item; bad input is refused naming the field; periods that would give
// more points than a chart shows are refused (without from, the last 400 periods are given).
import { describe, expect, it } from 'vitest';
import { buildWorld, costed, type Env, issue, newItem, ok, receive } from '../support/world.js';

export function history(env: () => Env) {
  describe('valuation history', () => {
    it('gives the value at the end of each day, matching the report at that date', async () => {
      const e = env();
      const { a } = e;
      const w = await buildWorld(a);
      const item = await newItem(a);
      const other = await newItem(a);
      const received = await receive(a, '2025-04-01T10:00:00Z', [
        { itemId: item, locationId: w.location, qty: '10', unitCost: '3' },
      ]);
      const issued = await issue(a, '2025-04-03T09:00:00Z', [
        { itemId: item, locationId: w.location, qty: '4' },
      ]);
      const otherMoves = await receive(a, '2025-04-02T12:00:00Z', [
        { itemId: other, locationId: w.location, qty: '1', unitCost: '100' },
      ]);
      await costed(e, a, item, [...received, ...issued]);
      await costed(e, a, other, otherMoves);

      const q = `itemId=${item}&from=2025-04-01T00:00:00Z&to=2025-04-04T00:00:00Z`;
      const h = await ok(a.costing.get(`/valuation/history?${q}`));
      expect(h.interval).toBe('day');
      expect(h.points.map((p: { value: string }) => p.value)).toEqual(['30', '30', '18', '18']);
      expect(h.points.map((p: { qty: string }) => p.qty)).toEqual(['10', '10', '6', '6']);
      expect(h.points[0].at).toBe('2025-04-02T00:00:00.000000Z');
      expect(h.points.at(-1).at).toBe('2025-04-04T00:00:00.000000Z');
      const atEnd = await ok(a.costing.get(`/valuation?itemId=${item}&asOf=2025-04-03T23:59:59Z`));
      expect(atEnd.totalValue).toBe('18');

      // Both items, by month from the first entry: one point, the value now.
      const all = await ok(a.costing.get(`/valuation/history?interval=month&warehouseId=${w.warehouse}`));
      const now = await ok(a.costing.get(`/valuation?warehouseId=${w.warehouse}`));
      expect(all.points.at(-1).value).toBe(now.totalValue);
      expect(now.totalValue).toBe('118');
    });

    it('refuses bad input and too many points, naming the field', async () => {
      const { a } = env();
      const bad = await a.costing.get('/valuation/history?interval=hour');
      expect(bad.status).toBe(400);
      expect(bad.json.errors[0].field).toBe('/query/interval');
      const long = await a.costing.get(
        '/valuation/history?from=2000-01-01T00:00:00Z&to=2025-01-01T00:00:00Z',
      );
      expect(long.status).toBe(422);
      expect(long.json.code).toBe('COSTING_HISTORY_TOO_LONG');
      expect(long.json.errors[0].field).toBe('/query/interval');
      // Without from, a long history gives its last 400 days.
      const recent = await ok(a.costing.get('/valuation/history?to=2025-06-01T00:00:00Z'));
      expect(recent.points.length).toBeLessThanOrEqual(400);
      expect(recent.points.at(-1).at).toBe('2025-06-01T00:00:00.000000Z');
    });
  });
}
