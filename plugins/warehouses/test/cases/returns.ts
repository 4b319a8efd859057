// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Customer returns (a receipt line pointing at an issue) and returns to vendors (an issue line
// pointing at a receipt): never more than moved, always the same item, announced with returnOf.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand, published } from '../support/setup.js';

export function returns(kit: () => PluginTestKit) {
  describe('returns', () => {
    it('takes back at most what was issued, from the same customer, and says which issue', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      const receipt = await ok(
        client.post('/receipts', {
          supplier: 'ACME',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '10', unitCost: '3' }],
        }),
      );
      const issue = await ok(
        client.post('/issues', {
          customer: 'Dora',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '6' }],
        }),
      );
      const issueMove = issue.moves[0].id;
      const back = await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.plain, locationId: w.dock, qty: '4', returnOf: issueMove }],
        }),
      );
      expect(back.moves[0]).toMatchObject({
        kind: 'customer-return',
        returnOf: issueMove,
        partner: 'Dora',
        unitCost: null,
      });
      const tooMany = await client.post('/receipts', {
        lines: [{ itemId: w.plain, locationId: w.dock, qty: '3', returnOf: issueMove }],
      });
      expect(tooMany.status).toBe(409);
      expect(tooMany.json).toMatchObject({
        code: 'WAREHOUSES_RETURN_EXCEEDS',
        errors: [{ field: '/body/lines/0/qty' }],
      });
      await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.plain, locationId: w.dock, qty: '2', returnOf: issueMove }],
        }),
      );

      const withCost = await client.post('/receipts', {
        lines: [{ itemId: w.plain, locationId: w.dock, qty: '1', unitCost: '9', returnOf: issueMove }],
      });
      expect(withCost.json.code).toBe('WAREHOUSES_RETURN_COST_GIVEN');
      const ofReceipt = await client.post('/receipts', {
        lines: [{ itemId: w.plain, locationId: w.dock, qty: '1', returnOf: receipt.moves[0].id }],
      });
      expect(ofReceipt.json).toMatchObject({
        code: 'WAREHOUSES_RETURN_NOT_AN_ISSUE',
        errors: [{ field: '/body/lines/0/returnOf' }],
      });
      const otherItem = await client.post('/receipts', {
        lines: [{ itemId: w.lotted, locationId: w.dock, qty: '1', lot: 'L', returnOf: issueMove }],
      });
      expect(otherItem.json.code).toBe('WAREHOUSES_RETURN_ITEM_MISMATCH');

      // Back to the vendor: not a sale, so no sale price; at most the receipt's 10, 4 still at A1.
      const priced = await client.post('/issues', {
        lines: [
          { itemId: w.plain, locationId: w.a1, qty: '1', unitPrice: '3', returnOf: receipt.moves[0].id },
        ],
      });
      expect(priced.json).toMatchObject({
        code: 'WAREHOUSES_RETURN_PRICE_GIVEN',
        errors: [{ field: '/body/lines/0/unitPrice' }],
      });
      const vendor = await ok(
        client.post('/issues', {
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '4', returnOf: receipt.moves[0].id }],
        }),
      );
      expect(vendor.moves[0]).toMatchObject({
        kind: 'vendor-return',
        partner: 'ACME',
        returnOf: receipt.moves[0].id,
      });
      expect(await onHand(client, w.plain)).toEqual({ [`${w.dock}|`]: '6' });
      const ret = await published(
        api,
        'stock.received',
        (p) => p.kind === 'customer-return' && p.itemId === w.plain,
      );
      expect(ret.map((p: any) => [p.qty, p.returnOf, p.customer, p.unitCost])).toEqual([
        ['4', issueMove, 'Dora', null],
        ['2', issueMove, 'Dora', null],
      ]);
      const [toVendor] = await published(
        api,
        'stock.issued',
        (p) => p.kind === 'vendor-return' && p.itemId === w.plain,
      );
      expect(toVendor).toMatchObject({
        qty: '4',
        supplier: 'ACME',
        returnOf: receipt.moves[0].id,
        unitPrice: null,
      });
    });

    it('returns lots and serials only as they left', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      await ok(
        client.post('/receipts', { lines: [{ itemId: w.lotted, locationId: w.a1, qty: '5', lot: 'L7' }] }),
      );
      const sold = await ok(
        client.post('/issues', {
          customer: 'Eve',
          lines: [{ itemId: w.lotted, locationId: w.a1, qty: '5', lot: 'L7' }],
        }),
      );
      const wrongLot = await client.post('/receipts', {
        lines: [{ itemId: w.lotted, locationId: w.a1, qty: '1', lot: 'L8', returnOf: sold.moves[0].id }],
      });
      expect(wrongLot.json.code).toBe('WAREHOUSES_RETURN_LOT_MISMATCH');
      const back = await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.lotted, locationId: w.a1, qty: '1', returnOf: sold.moves[0].id }],
        }),
      );
      expect(back.moves[0].lot).toBe('L7');

      await ok(
        client.post('/receipts', {
          lines: [{ itemId: w.serial, locationId: w.a1, qty: '2', serials: ['X1', 'X2'] }],
        }),
      );
      const out = await ok(
        client.post('/issues', {
          customer: 'Eve',
          lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['X1'] }],
        }),
      );
      const wrongSerial = await client.post('/receipts', {
        lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['X2'], returnOf: out.moves[0].id }],
      });
      expect(wrongSerial.json).toMatchObject({
        code: 'WAREHOUSES_RETURN_SERIAL_MISMATCH',
        errors: [{ field: '/body/lines/0/serials/0' }],
      });
    });
  });
}
