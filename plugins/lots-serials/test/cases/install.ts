// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Installed after warehouses, and never without it; history from before the install is brought
// in by replaying warehouses' events to this plugin's subscribers, which changes nothing twice.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, learnt, ok, pluginClient } from '../support/setup.js';

const SUBSCRIBERS = ['on-received', 'on-issued', 'on-adjusted', 'on-transferred'];

export function install(kit: () => PluginTestKit, early: () => { itemId: string; late: string }) {
  describe('installation and replay', () => {
    it('learns moves made before it was installed from a replay, once however often it is replayed', async () => {
      const { client, api } = kit();
      const { itemId, late } = early();
      // On the embedded bus the deliveries were drained before the install; on NATS that is not observable.
      if (!process.env.NATS_URL)
        expect((await ok(client.get(`/moves?itemId=${itemId}`), 200)).moves).toEqual([]);
      const replay = () =>
        Promise.all(
          SUBSCRIBERS.map((s) =>
            ok(
              api.post('/api/v1/events/replay', { subscriber: `lots-serials:${s}`, fromSequence: '0' }),
              202,
            ),
          ),
        );
      // Issue 14: the issue is learnt before its lot's receipt (only on-issued replayed): flagged,
      // and not judged yet; resolving it then is refused.
      await ok(client.put(`/items/${late}/expiry`, { expirationDays: 10 }), 200);
      await ok(
        api.post('/api/v1/events/replay', { subscriber: 'lots-serials:on-issued', fromSequence: '0' }),
        202,
      );
      const [issued] = await learnt(kit(), late, 1);
      expect([issued.qty, issued.learntEarly, issued.expiryStatus]).toEqual(['-1', true, null]);
      const resolve = (moveId: string, body: object = {}) => client.post(`/moves/${moveId}/resolve`, body);
      expect((await resolve(issued.moveId)).json.code).toBe('LOTS_SERIALS_LOT_NOT_RECEIVED');
      await replay();
      await learnt(kit(), itemId, 2);
      // The receipt brings the lot's dates (received 2025-01-01 + 10 days): the early issue of
      // 2025-02-01 is stamped expired, and keeps its flag until someone resolves it.
      const [received, stamped] = await learnt(kit(), late, 2);
      expect([received.kind, received.learntEarly]).toEqual(['receipt', false]);
      expect([stamped.moveId, stamped.learntEarly, stamped.expiryStatus]).toEqual([
        issued.moveId,
        true,
        'expired',
      ]);
      expect((await client.get(`/lots/${late}/Y-1`)).json.expiresOn).toBe('2025-01-11');
      // Bad input and an unknown move change nothing; a resolved flag cannot be resolved twice.
      expect((await resolve('not-a-uuid')).status).toBe(400);
      expect((await resolve(issued.moveId, { note: '' })).status).toBe(400);
      expect((await resolve('00000000-0000-4000-8000-000000000000')).json.code).toBe(
        'LOTS_SERIALS_MOVE_NOT_FOUND',
      );
      const resolved = await ok(
        resolve(issued.moveId, { note: 'checked: sold before expiry was known' }),
        200,
      );
      expect(resolved).toEqual({ moveId: issued.moveId, learntEarly: false, expiryStatus: 'expired' });
      expect((await resolve(issued.moveId)).json.code).toBe('LOTS_SERIALS_MOVE_NOT_FLAGGED');
      const [, after] = await learnt(kit(), late, 2);
      expect([after.learntEarly, after.expiryStatus]).toEqual([false, 'expired']);
      // Audited (entries are chained by the sealer just after commit).
      await kit().waitFor(
        async () =>
          (await api.get('/api/v1/audit/entries?action=lots-serials.move.flag-resolved')).json.items
            ?.length === 1,
      );
      await replay();
      const wh = pluginClient(api, 'warehouses');
      const w = await buildWorld(wh);
      await ok(
        wh.post('/receipts', { lines: [{ itemId: w.milk, locationId: w.a1, qty: '1', lot: 'AFTER' }] }),
      );
      await learnt(kit(), w.milk, 1); // the replays are done once later events are through
      const moves = await learnt(kit(), itemId, 2);
      expect(moves.map((m: any) => m.qty)).toEqual(['5', '-2']);
      expect((await ok(client.get(`/lots/${itemId}/EARLY`), 200)).onHand).toBe('3');
    });
  });
}
