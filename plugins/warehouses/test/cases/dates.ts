// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Stock on hand at any date is the sum of moves up to it, and a back-dated move may not make any
// later running balance negative.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand } from '../support/setup.js';

export function dates(kit: () => PluginTestKit) {
  describe('stock at a date', () => {
    it('answers for any instant from the ledger, and matches the current balances now', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      const post = (path: string, effectiveAt: string, qty: string, locationId = w.a1) =>
        ok(client.post(path, { effectiveAt, lines: [{ itemId: w.plain, locationId, qty }] }));
      await post('/receipts', '2024-01-01T09:00:00Z', '10');
      await post('/issues', '2024-01-05T12:00:00Z', '4');
      await post('/receipts', '2024-01-03T08:00:00Z', '5', w.a2); // back-dated, posted later
      const at = (iso: string) => onHand(client, w.plain, iso);
      expect(await at('2023-12-31T23:59:59Z')).toEqual({});
      expect(await at('2024-01-01T09:00:00Z')).toEqual({ [`${w.a1}|`]: '10' });
      expect(await at('2024-01-04T00:00:00Z')).toEqual({ [`${w.a1}|`]: '10', [`${w.a2}|`]: '5' });
      expect(await at('2024-01-06T00:00:00Z')).toEqual({ [`${w.a1}|`]: '6', [`${w.a2}|`]: '5' });
      expect(await onHand(client, w.plain)).toEqual(await at(new Date().toISOString()));
      const ledger = await ok(
        client.get(`/moves?itemId=${w.plain}&from=2024-01-02T00:00:00Z&to=2024-01-04T00:00:00Z`),
        200,
      );
      expect(ledger.moves.map((m: any) => m.qty)).toEqual(['5']);
    });

    it('refuses a back-dated issue that later moves would drive below zero', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      await ok(
        client.post('/receipts', {
          effectiveAt: '2024-02-10T00:00:00Z',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '10' }],
        }),
      );
      await ok(
        client.post('/issues', {
          effectiveAt: '2024-02-20T00:00:00Z',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '8' }],
        }),
      );
      // 10 on hand from the 10th, but only 2 are free once the issue of the 20th is kept.
      const before = await client.post('/issues', {
        effectiveAt: '2024-02-05T00:00:00Z',
        lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }],
      });
      expect([before.status, before.json.code]).toEqual([409, 'WAREHOUSES_INSUFFICIENT_STOCK']);
      const between = await client.post('/issues', {
        effectiveAt: '2024-02-15T00:00:00Z',
        lines: [{ itemId: w.plain, locationId: w.a1, qty: '3' }],
      });
      expect([between.status, between.json.code]).toEqual([409, 'WAREHOUSES_INSUFFICIENT_STOCK']);
      await ok(
        client.post('/issues', {
          effectiveAt: '2024-02-15T00:00:00Z',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '2' }],
        }),
      );
      expect(await onHand(client, w.plain, '2024-02-16T00:00:00Z')).toEqual({ [`${w.a1}|`]: '8' });
      expect(await onHand(client, w.plain)).toEqual({});
    });
  });
}
