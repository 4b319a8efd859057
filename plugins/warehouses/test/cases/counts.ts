// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Cycle counts and adjustments: the count is the truth; differences from on-hand at posting become
// count moves announced as stock.adjusted (reason cycle-count).
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand, published } from '../support/setup.js';

export function counts(kit: () => PluginTestKit) {
  describe('cycle counts and adjustments', () => {
    it('counts a location tree and posts the differences', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      await ok(
        client.post('/receipts', {
          lines: [
            { itemId: w.plain, locationId: w.a1, qty: '10' },
            { itemId: w.lotted, locationId: w.a2, qty: '2', lot: 'L1' },
            { itemId: w.serial, locationId: w.a1, qty: '3', serials: ['C1', 'C2', 'C3'] },
          ],
        }),
      );
      const count = await ok(client.post('/counts', { locationId: w.stock, includeChildren: true }));
      expect(count.lines.map((l: any) => [l.itemId, l.locationId, l.expectedQty])).toEqual(
        expect.arrayContaining([
          [w.plain, w.a1, '10'],
          [w.lotted, w.a2, '2'],
          [w.serial, w.a1, '3'],
        ]),
      );
      const outside = await client.put(`/counts/${count.id}/lines`, {
        lines: [{ itemId: w.plain, locationId: w.dock, countedQty: '1' }],
      });
      expect(outside.json).toMatchObject({
        code: 'WAREHOUSES_COUNT_LOCATION_OUTSIDE',
        errors: [{ field: '/body/lines/0/locationId' }],
      });
      const serialMismatch = await client.put(`/counts/${count.id}/lines`, {
        lines: [{ itemId: w.serial, locationId: w.a1, countedQty: '2', serials: ['C1'] }],
      });
      expect(serialMismatch.json.code).toBe('WAREHOUSES_SERIAL_COUNT_MISMATCH');
      await ok(
        client.put(`/counts/${count.id}/lines`, {
          lines: [
            { itemId: w.plain, locationId: w.a1, countedQty: '8' },
            { itemId: w.lotted, locationId: w.a2, lot: 'L1', countedQty: '2.25' },
            { itemId: w.serial, locationId: w.a1, countedQty: '3', serials: ['C1', 'C3', 'C9'] },
          ],
        }),
        200,
      );
      // Stock moves between counting and posting: the count still wins.
      await ok(client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }] }));
      const posted = await ok(client.post(`/counts/${count.id}/post`, {}), 200);
      expect(posted.status).toBe('posted');
      expect(posted.moves.map((m: any) => [m.itemId, m.qty, m.serials])).toEqual(
        expect.arrayContaining([
          [w.plain, '-1', []],
          [w.lotted, '0.25', []],
          [w.serial, '-1', ['C2']],
          [w.serial, '1', ['C9']],
        ]),
      );
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a1}|`]: '8' });
      expect(await onHand(client, w.lotted)).toEqual({ [`${w.a2}|L1`]: '2.25' });
      const adjusted = await published(api, 'stock.adjusted', (p) => p.countId === count.id);
      expect(adjusted).toHaveLength(4);
      expect(adjusted.every((p: any) => p.reason === 'cycle-count')).toBe(true);
      const again = await client.post(`/counts/${count.id}/post`, {});
      expect([again.status, again.json.code]).toEqual([409, 'WAREHOUSES_COUNT_NOT_OPEN']);
    });

    it('adjusts up with a cost and down within stock, with a reason', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      const adj = await ok(
        client.post('/adjustments', {
          reason: 'found behind the shelf',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '3', unitCost: '1.10' }],
        }),
      );
      expect(adj).toMatchObject({ kind: 'adjustment', reason: 'found behind the shelf' });
      await ok(
        client.post('/adjustments', {
          reason: 'damaged',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '-2' }],
        }),
      );
      const costOut = await client.post('/adjustments', {
        reason: 'x',
        lines: [{ itemId: w.plain, locationId: w.a1, qty: '-1', unitCost: '1' }],
      });
      expect(costOut.json.code).toBe('WAREHOUSES_ADJUSTMENT_OUT_WITH_COST');
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a1}|`]: '1' });
      const events = await published(api, 'stock.adjusted', (p) => p.itemId === w.plain);
      expect(events.map((e: any) => [e.qty, e.unitCost, e.reason])).toEqual([
        ['3', '1.1', 'found behind the shelf'],
        ['-2', null, 'damaged'],
      ]);
    });
  });
}
