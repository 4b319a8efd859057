// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Item categories (issue 17): optional on create, set or cleared by PATCH, filtered on in GET /items,
// validated (at most 60 characters), and announced in warehouses.item.upserted on every change.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { ok, published } from '../support/setup.js';

export function categories(kit: () => PluginTestKit) {
  describe('item categories', () => {
    it('keeps, changes and announces an item category; refuses a bad one changing nothing', async () => {
      const { client, api } = kit();
      const sku = `CAT-${Date.now()}`;
      const bolt = await ok(
        client.post('/items', { sku, name: 'Hex bolt M8', uom: 'EA', category: 'Fasteners' }),
      );
      expect(bolt.category).toBe('Fasteners');
      const plain = await ok(client.post('/items', { sku: `${sku}-2`, name: 'Wood glue', uom: 'EA' }));
      expect(plain.category).toBeNull();

      const events = () => published(api, 'item.upserted', (p) => p.sku.startsWith(sku));
      expect(await events()).toEqual([
        { itemId: bolt.id, sku, name: 'Hex bolt M8', category: 'Fasteners' },
        { itemId: plain.id, sku: `${sku}-2`, name: 'Wood glue', category: null },
      ]);

      const long = await client.patch(`/items/${plain.id}`, { category: 'x'.repeat(61) });
      expect(long.status).toBe(400);
      expect(long.json.errors.map((e: any) => e.field)).toContain('/body/category');
      expect(
        (await client.post('/items', { sku: `${sku}-3`, name: 'N', uom: 'EA', category: ' ' })).status,
      ).toBe(400);
      expect(await events()).toHaveLength(2);

      await ok(client.patch(`/items/${plain.id}`, { category: 'Adhesives' }), 200);
      const listed = await ok(client.get(`/items?search=${sku}&category=adhesives`), 200);
      expect(listed.items.map((i: any) => [i.sku, i.category])).toEqual([[`${sku}-2`, 'Adhesives']]);
      const cleared = await ok(client.patch(`/items/${bolt.id}`, { category: null }), 200);
      expect(cleared.category).toBeNull();
      const open = await ok(client.get(`/items?search=${sku}&uncategorised=true`), 200);
      expect(open.items.map((i: any) => i.sku)).toEqual([sku]);
      expect((await events()).slice(2).map((e: any) => e.category)).toEqual(['Adhesives', null]);
    });
  });
}
