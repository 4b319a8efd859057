// Concurrent issues race for the same stock through the real HTTP stack and Postgres: exactly as
// many succeed as there is stock, the rest are refused, and nothing ever goes below zero.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand } from '../support/setup.js';

export function concurrency(kit: () => PluginTestKit) {
  describe('concurrency', () => {
    it('never drives stock negative under parallel issues', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '7' }] }));
      const results = await Promise.all(
        Array.from({ length: 24 }, () =>
          client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }] }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(7);
      expect(statuses.filter((s) => s === 409)).toHaveLength(17);
      expect(
        results.filter((r) => r.status === 409).every((r) => r.json.code === 'WAREHOUSES_INSUFFICIENT_STOCK'),
      ).toBe(true);
      expect(await onHand(client, w.plain)).toEqual({});
      const ledger = await ok(client.get(`/moves?itemId=${w.plain}`), 200);
      expect(ledger.moves).toHaveLength(8);
    });

    it('lets one of two parallel issues of the same serial win, and one of two approvals', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['ONLY'] }],
        }),
      );
      const race = await Promise.all(
        [1, 2, 3].map(() =>
          client.post('/issues', {
            lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['ONLY'] }],
          }),
        ),
      );
      expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '3' }] }));
      const t = await ok(
        client.post('/transfers', {
          fromLocationId: w.a1,
          toLocationId: w.a2,
          lines: [{ itemId: w.plain, qty: '3' }],
        }),
      );
      const approvals = await Promise.all([1, 2].map(() => client.post(`/transfers/${t.id}/approve`, {})));
      expect(approvals.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a2}|`]: '3' });
    });
  });
}
