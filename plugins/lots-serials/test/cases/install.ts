// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Installed after warehouses, and never without it; history from before the install is brought
// in by replaying warehouses' events to this plugin's subscribers, which changes nothing twice.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, learnt, ok, pluginClient } from '../support/setup.js';

const SUBSCRIBERS = ['on-received', 'on-issued', 'on-adjusted', 'on-transferred'];

export function install(kit: () => PluginTestKit, early: () => { itemId: string }) {
  describe('installation and replay', () => {
    it('learns moves made before it was installed from a replay, once however often it is replayed', async () => {
      const { client, api } = kit();
      const { itemId } = early();
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
      await replay();
      await learnt(kit(), itemId, 2);
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
