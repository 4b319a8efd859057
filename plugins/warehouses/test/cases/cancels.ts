// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Cancelling posted documents (issue 14): reversing moves at the original instant, announced as
// stock.cancelled; serials go back where they were; a cancel that later moves depend on (returns,
// a serial that moved on, stock already taken) is refused and changes nothing.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand, published, snapshot } from '../support/setup.js';

export function cancels(kit: () => PluginTestKit) {
  describe('cancel', () => {
    it('reverses a transfer and a serial receipt, putting serials back, and announces each move', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '10' }] }));
      const tr = await ok(
        client.post('/transfers', {
          fromLocationId: w.a1,
          toLocationId: w.dock,
          lines: [{ itemId: w.plain, qty: '6' }],
        }),
      );
      const approved = await ok(client.post(`/transfers/${tr.id}/approve`, {}), 200);
      const c = await ok(client.post(`/documents/${approved.documentId}/cancel`, {}));
      expect(c.moves.map((m: any) => [m.qty, m.locationId]).sort()).toEqual(
        [
          ['-6', w.dock],
          ['6', w.a1],
        ].sort(),
      );
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a1}|`]: '10' });
      const events = await published(api, 'stock.cancelled', (p) => p.itemId === w.plain);
      expect(events.map((p: any) => [p.cancelsKind, p.direction, p.qty]).sort()).toEqual([
        ['transfer-in', 'out', '6'],
        ['transfer-out', 'in', '6'],
      ]);

      const rcv = await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.serial, locationId: w.a2, qty: '2', serials: ['CX1', 'CX2'] }],
        }),
      );
      await ok(client.post(`/documents/${rcv.id}/cancel`, { reason: 'wrong supplier' }));
      const serials = await ok(client.get(`/serials?itemId=${w.serial}&inStock=false`), 200);
      expect(serials.serials.filter((s: any) => s.serial.startsWith('CX')).map((s: any) => s.locationId)).toEqual([
        null,
        null,
      ]);
      const [ev] = await published(api, 'stock.cancelled', (p) => p.cancelsDocumentId === rcv.id);
      expect(ev).toMatchObject({ direction: 'out', serials: ['CX1', 'CX2'], cancelsKind: 'receipt' });
      // the same serials can be received again, and the cancel shows on the document
      await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.serial, locationId: w.a2, qty: '1', serials: ['CX1'] }],
        }),
      );
      expect((await ok(client.get(`/receipts/${rcv.id}`), 200)).cancelledBy).toBeTruthy();
    });

    it('refuses a cancel that returns or a shipped serial depend on, changing nothing', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      const rcv = await ok(
        client.post('/receipts', {
          lines: [
            { itemId: w.serial, locationId: w.a1, qty: '1', serials: ['SH1'] },
            { itemId: w.plain, locationId: w.a1, qty: '5' },
          ],
        }),
      );
      const sold = await ok(
        client.post('/issues', { lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['SH1'] }] }),
      );
      const before = await snapshot(client, api);
      const shipped = await client.post(`/documents/${rcv.id}/cancel`, {});
      expect(shipped.status).toBe(409);
      expect(shipped.json.code).toBe('WAREHOUSES_CANCEL_SERIAL_MOVED_ON');
      expect(shipped.json.detail).toContain('SH1');
      expect(await snapshot(client, api)).toEqual(before);

      // the issue itself can be cancelled: SH1 is back in A1
      await ok(client.post(`/documents/${sold.id}/cancel`, {}));
      const sh1 = await ok(client.get(`/serials?itemId=${w.serial}&serial=SH1`), 200);
      expect(sh1.serials[0].locationId).toBe(w.a1);

      // a vendor return against the receipt: the receipt cannot go until the return does
      const ret = await ok(
        client.post('/issues', {
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '2', returnOf: rcv.moves[1].id }],
        }),
      );
      const blocked = await client.post(`/documents/${rcv.id}/cancel`, {});
      expect(blocked.json.code).toBe('WAREHOUSES_CANCEL_HAS_RETURNS');
      await ok(client.post(`/documents/${ret.id}/cancel`, {}));
      // returns released: the whole receipt cancels now, and a return of a cancelled move is refused
      await ok(client.post(`/documents/${rcv.id}/cancel`, {}));
      expect(await onHand(client, w.plain)).toEqual({});
      const late = await client.post('/issues', {
        lines: [{ itemId: w.plain, locationId: w.a1, qty: '1', returnOf: rcv.moves[1].id }],
      });
      expect(late.json.code).toBe('WAREHOUSES_RETURN_OF_CANCELLED');
      const unknown = await client.post('/documents/00000000-0000-4000-8000-000000000000/cancel', {});
      expect([unknown.status, unknown.json.code]).toEqual([404, 'WAREHOUSES_DOCUMENT_NOT_FOUND']);
    });
  });
}
