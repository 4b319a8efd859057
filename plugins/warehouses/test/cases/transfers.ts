// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Internal transfers: nothing moves until approved; approval posts the out/in pair and publishes
// stock.transferred; a transfer is decided once; a failed approval leaves it requested.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand, published } from '../support/setup.js';

export function transfers(kit: () => PluginTestKit) {
  describe('transfers', () => {
    it('moves stock only on approval, as a pair of moves, and announces it', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      const other = await buildWorld(client);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '10' }] }));
      await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.serial, locationId: w.a1, qty: '2', serials: ['T1', 'T2'] }],
        }),
      );
      const t = await ok(
        client.post('/transfers', {
          fromLocationId: w.a1,
          toLocationId: other.dock,
          reference: 'TR-1',
          lines: [
            { itemId: w.plain, qty: '6' },
            { itemId: w.serial, qty: '1', serials: ['T2'] },
          ],
        }),
      );
      expect(t).toMatchObject({ status: 'requested', moves: [] });
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a1}|`]: '10' });
      const approved = await ok(client.post(`/transfers/${t.id}/approve`, { note: 'ok' }), 200);
      expect(approved.status).toBe('approved');
      expect(approved.moves.map((m: any) => [m.kind, m.qty, m.locationId])).toEqual(
        expect.arrayContaining([
          ['transfer-out', '-6', w.a1],
          ['transfer-in', '6', other.dock],
          ['transfer-out', '-1', w.a1],
          ['transfer-in', '1', other.dock],
        ]),
      );
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a1}|`]: '4', [`${other.dock}|`]: '6' });
      const serials = await ok(client.get(`/serials?itemId=${w.serial}`), 200);
      expect(serials.serials.map((s: any) => [s.serial, s.locationId])).toEqual([
        ['T1', w.a1],
        ['T2', other.dock],
      ]);
      const events = await published(api, 'stock.transferred', (p) => p.transferId === t.id);
      expect(events).toHaveLength(2);
      expect(events.find((e: any) => e.itemId === w.plain)).toMatchObject({
        qty: '6',
        from: { warehouseId: w.warehouseId, locationId: w.a1 },
        to: { warehouseId: other.warehouseId, locationId: other.dock },
        reference: 'TR-1',
      });
      const twice = await client.post(`/transfers/${t.id}/approve`, {});
      expect([twice.status, twice.json.code]).toEqual([409, 'WAREHOUSES_TRANSFER_NOT_PENDING']);
    });

    it('refuses approval when stock has gone meanwhile, and keeps the request open; rejects and cancels', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '5' }] }));
      const t = await ok(
        client.post('/transfers', {
          fromLocationId: w.a1,
          toLocationId: w.a2,
          lines: [{ itemId: w.plain, qty: '5' }],
        }),
      );
      await ok(client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }] }));
      const short = await client.post(`/transfers/${t.id}/approve`, {});
      expect([short.status, short.json.code, short.json.errors[0].field]).toEqual([
        409,
        'WAREHOUSES_INSUFFICIENT_STOCK',
        '/transfer/lines/0/qty',
      ]);
      expect((await ok(client.get(`/transfers/${t.id}`), 200)).status).toBe('requested');
      expect((await ok(client.post(`/transfers/${t.id}/reject`, { note: 'short' }), 200)).status).toBe(
        'rejected',
      );
      const t2 = await ok(
        client.post('/transfers', {
          fromLocationId: w.a1,
          toLocationId: w.a2,
          lines: [{ itemId: w.plain, qty: '1' }],
        }),
      );
      expect((await ok(client.post(`/transfers/${t2.id}/cancel`, {}), 200)).status).toBe('cancelled');
      const list = await ok(client.get('/transfers?status=rejected'), 200);
      expect(list.transfers.map((x: any) => x.id)).toContain(t.id);

      const same = await client.post('/transfers', {
        fromLocationId: w.a1,
        toLocationId: w.a1,
        lines: [{ itemId: w.plain, qty: '1' }],
      });
      expect(same.json).toMatchObject({
        code: 'WAREHOUSES_TRANSFER_SAME_LOCATION',
        errors: [{ field: '/body/toLocationId' }],
      });
      const badSerials = await client.post('/transfers', {
        fromLocationId: w.a1,
        toLocationId: w.a2,
        lines: [{ itemId: w.serial, qty: '2', serials: ['Z'] }],
      });
      expect(badSerials.json.code).toBe('WAREHOUSES_SERIAL_COUNT_MISMATCH');
    });

    it('can require a second person to approve (approverMustDiffer)', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }] }));
      await ok(
        api.put('/api/v1/plugins/installations/warehouses/config', { config: { approverMustDiffer: true } }),
        200,
      );
      try {
        const t = await ok(
          client.post('/transfers', {
            fromLocationId: w.a1,
            toLocationId: w.a2,
            lines: [{ itemId: w.plain, qty: '1' }],
          }),
        );
        const self = await client.post(`/transfers/${t.id}/approve`, {});
        expect([self.status, self.json.code]).toEqual([403, 'WAREHOUSES_TRANSFER_SELF_APPROVAL']);
        expect((await ok(client.get(`/transfers/${t.id}`), 200)).status).toBe('requested');
      } finally {
        await ok(api.put('/api/v1/plugins/installations/warehouses/config', { config: {} }), 200);
      }
    });
  });
}
