// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Bad input is refused with problem+json naming the field, and changes nothing: no move, no
// balance, no event — even when the bad line comes after good ones in the same document.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, snapshot } from '../support/setup.js';

export function badInput(kit: () => PluginTestKit) {
  describe('bad input', () => {
    it('refuses each kind of bad line with a stable code and the field, and leaves the ledger unchanged', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '5' }] }));
      const before = await snapshot(client, api);
      const good = { itemId: w.plain, locationId: w.a1, qty: '1' };
      const unknown = '00000000-0000-4000-8000-000000000000';
      const cases: Array<[string, object, number, string, string]> = [
        ['/receipts', { ...good, qty: '-1' }, 400, 'ERP_VALIDATION', '/body/lines/1/qty'],
        ['/receipts', { ...good, qty: '1e3' }, 400, 'ERP_VALIDATION', '/body/lines/1/qty'],
        ['/receipts', { ...good, qty: 2 }, 400, 'ERP_VALIDATION', '/body/lines/1/qty'],
        ['/receipts', { ...good, qty: '0' }, 422, 'WAREHOUSES_QTY_NOT_POSITIVE', '/body/lines/1/qty'],
        ['/receipts', { ...good, qty: '0.000' }, 422, 'WAREHOUSES_QTY_NOT_POSITIVE', '/body/lines/1/qty'],
        ['/receipts', { ...good, qty: '1.5' }, 422, 'WAREHOUSES_QTY_PRECISION', '/body/lines/1/qty'],
        ['/receipts', { ...good, unitCost: '-2' }, 400, 'ERP_VALIDATION', '/body/lines/1/unitCost'],
        ['/receipts', { ...good, itemId: unknown }, 422, 'WAREHOUSES_ITEM_UNKNOWN', '/body/lines/1/itemId'],
        [
          '/receipts',
          { ...good, locationId: unknown },
          422,
          'WAREHOUSES_LOCATION_UNKNOWN',
          '/body/lines/1/locationId',
        ],
        ['/receipts', { ...good, colour: 'red' }, 400, 'ERP_VALIDATION', '/body/lines/1/colour'],
        ['/issues', { ...good, qty: '5' }, 409, 'WAREHOUSES_INSUFFICIENT_STOCK', '/body/lines/1/qty'],
        ['/issues', { ...good, locationId: w.a2 }, 409, 'WAREHOUSES_INSUFFICIENT_STOCK', '/body/lines/1/qty'],
        [
          '/issues',
          { ...good, returnOf: unknown },
          422,
          'WAREHOUSES_RETURN_UNKNOWN',
          '/body/lines/1/returnOf',
        ],
        ['/adjustments', { ...good, qty: '-6' }, 409, 'WAREHOUSES_INSUFFICIENT_STOCK', '/body/lines/1/qty'],
      ];
      for (const [path, line, status, code, field] of cases) {
        const body = { reason: 'test', lines: [good, line] };
        if (path !== '/adjustments') delete (body as { reason?: string }).reason;
        const res = await client.post(path, body);
        expect([path, res.status, res.json.code, res.json.errors?.map((e: any) => e.field)]).toEqual([
          path,
          status,
          code,
          [field],
        ]);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      const future = await client.post('/receipts', { effectiveAt: '2999-01-01T00:00:00Z', lines: [good] });
      expect(future.json).toMatchObject({
        code: 'WAREHOUSES_DATE_IN_FUTURE',
        errors: [{ field: '/body/effectiveAt' }],
      });
      const empty = await client.post('/receipts', { lines: [] });
      expect(empty.status).toBe(400);
      expect(await snapshot(client, api)).toEqual(before);
    });

    it('guards the catalogue: unique SKUs, bins are leaves, tracking fixed once an item has moved', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      const sku = (await ok(client.get(`/items/${w.plain}`), 200)).sku;
      const dup = await client.post('/items', { sku: sku.toLowerCase(), name: 'Again', uom: 'EA' });
      expect(dup.json).toMatchObject({ code: 'WAREHOUSES_SKU_TAKEN', errors: [{ field: '/body/sku' }] });
      const inBin = await client.post('/locations', {
        warehouseId: w.warehouseId,
        parentId: w.a1,
        code: 'X',
        name: 'X',
      });
      expect(inBin.json.code).toBe('WAREHOUSES_PARENT_IS_BIN');
      const dupLoc = await client.post('/locations', {
        warehouseId: w.warehouseId,
        code: 'stock',
        name: 'Again',
      });
      expect(dupLoc.json.code).toBe('WAREHOUSES_LOCATION_CODE_TAKEN');
      await ok(client.patch(`/items/${w.plain}`, { tracking: 'lot' }), 200);
      await ok(client.patch(`/items/${w.plain}`, { tracking: 'none' }), 200);
      await ok(client.post('/receipts', { lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }] }));
      const change = await client.patch(`/items/${w.plain}`, { tracking: 'serial' });
      expect(change.json).toMatchObject({
        code: 'WAREHOUSES_ITEM_HAS_MOVES',
        errors: [{ field: '/body/tracking' }],
      });
      await ok(client.patch(`/items/${w.plain}`, { active: false }), 200);
      const inactive = await client.post('/receipts', {
        lines: [{ itemId: w.plain, locationId: w.a1, qty: '1' }],
      });
      expect(inactive.json.code).toBe('WAREHOUSES_ITEM_INACTIVE');
      const missing = await client.get('/items/00000000-0000-4000-8000-000000000000');
      expect([missing.status, missing.json.code]).toEqual([404, 'WAREHOUSES_ITEM_NOT_FOUND']);
    });
  });
}
