// Reorder points: stock.below-reorder-point once per fall below the minimum, in the same unit of
// work as the move that caused it.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, published } from '../support/setup.js';

export function reorder(kit: () => PluginTestKit) {
  describe('reorder points', () => {
    it('raises the event when warehouse stock falls below the minimum, once per crossing', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      const below = () => published(api, 'stock.below-reorder-point', (p) => p.itemId === w.plain);
      const point = await ok(
        client.put('/reorder-points', {
          itemId: w.plain,
          warehouseId: w.warehouseId,
          minQty: '5',
          reorderQty: '20',
        }),
        200,
      );
      expect(await below()).toHaveLength(1); // set while the warehouse is empty
      await ok(
        client.post('/receipts', {
          lines: [
            { itemId: w.plain, locationId: w.a1, qty: '4' },
            { itemId: w.plain, locationId: w.a2, qty: '4' },
          ],
        }),
      );
      await ok(client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '2' }] })); // 6 left
      expect(await below()).toHaveLength(1);
      const issue = await ok(
        client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a2, qty: '2' }] }),
      ); // 4 left
      await ok(client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a2, qty: '1' }] })); // 3, still below
      const events = await below();
      expect(events).toHaveLength(2);
      expect(events[1]).toEqual({
        reorderPointId: point.id,
        itemId: w.plain,
        sku: point.sku,
        warehouseId: w.warehouseId,
        onHand: '4',
        minQty: '5',
        reorderQty: '20',
        moveId: issue.moves[0].id,
      });
      // A refused issue announces nothing.
      await client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a2, qty: '9' }] });
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '10' }] })); // 13: recovered
      const listed = await ok(client.get(`/reorder-points?itemId=${w.plain}`), 200);
      expect(listed.reorderPoints[0]).toMatchObject({ below: false, onHand: '13' });
      await ok(client.post('/issues', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '12' }] }));
      expect(await below()).toHaveLength(3);
    });
  });
}
