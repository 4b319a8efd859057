// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Receipts and issues of each tracking mode, and the events they publish.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, onHand, published } from '../support/setup.js';

export function receiptsAndIssues(kit: () => PluginTestKit) {
  describe('receipts and issues', () => {
    it('posts a receipt and an issue as moves, derives on-hand from them and publishes both', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      const receipt = await ok(
        client.post('/receipts', {
          supplier: 'ACME',
          reference: 'PO-1',
          lines: [
            { itemId: w.plain, locationId: w.a1, qty: '10', unitCost: '2.125' },
            { itemId: w.plain, locationId: w.a2, qty: '4', unitCost: '2.2' },
          ],
        }),
      );
      expect(receipt.moves.map((m: any) => [m.kind, m.qty, m.unitCost])).toEqual([
        ['receipt', '10', '2.125'],
        ['receipt', '4', '2.2'],
      ]);
      const issue = await ok(
        client.post('/issues', {
          customer: 'Bob',
          reference: 'SO-9',
          lines: [{ itemId: w.plain, locationId: w.a1, qty: '3', unitPrice: '4.50' }],
        }),
      );
      expect(issue.moves[0]).toMatchObject({
        kind: 'issue',
        qty: '-3',
        unitPrice: '4.5',
        partner: 'Bob',
        sku: expect.stringMatching(/BOLT$/),
      });
      expect(await onHand(client, w.plain)).toEqual({ [`${w.a1}|`]: '7', [`${w.a2}|`]: '4' });

      const byWarehouse = await ok(client.get(`/stock?itemId=${w.plain}&groupBy=warehouse`), 200);
      expect(byWarehouse.stock).toEqual([expect.objectContaining({ warehouseId: w.warehouseId, qty: '11' })]);
      const underStock = await ok(client.get(`/stock?itemId=${w.plain}&locationId=${w.stock}`), 200);
      expect(underStock.stock.map((r: any) => r.qty)).toEqual(['7', '4']);

      const received = await published(api, 'stock.received', (p) => p.itemId === w.plain);
      expect(received).toEqual([
        expect.objectContaining({
          kind: 'receipt',
          moveId: receipt.moves[0].id,
          documentId: receipt.id,
          warehouseId: w.warehouseId,
          locationId: w.a1,
          qty: '10',
          unitCost: '2.125',
          supplier: 'ACME',
          reference: 'PO-1',
          returnOf: null,
          effectiveAt: receipt.effectiveAt,
        }),
        expect.objectContaining({ qty: '4', unitCost: '2.2', locationId: w.a2 }),
      ]);
      expect(received[0].seq).toBeLessThan(received[1].seq);
      const issued = await published(api, 'stock.issued', (p) => p.itemId === w.plain);
      expect(issued).toEqual([
        expect.objectContaining({
          kind: 'issue',
          moveId: issue.moves[0].id,
          qty: '3',
          unitPrice: '4.5',
          customer: 'Bob',
          locationId: w.a1,
        }),
      ]);
    });

    it('keeps decimals exact: 0.1 + 0.2 litres is 0.3', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      const lines = ['0.1', '0.2'].map((qty) => ({ itemId: w.lotted, locationId: w.a1, qty, lot: 'L1' }));
      await ok(client.post('/receipts', { lines }));
      expect(await onHand(client, w.lotted)).toEqual({ [`${w.a1}|L1`]: '0.3' });
      await ok(
        client.post('/issues', { lines: [{ itemId: w.lotted, locationId: w.a1, lot: 'L1', qty: '0.3' }] }),
      );
      expect(await onHand(client, w.lotted)).toEqual({});
    });

    it('tracks lots: required for lot items, refused for others, issued per lot', async () => {
      const { client, api } = kit();
      const w = await buildWorld(client);
      await ok(
        client.post('/receipts', {
          lines: [
            { itemId: w.lotted, locationId: w.a1, qty: '5', lot: 'L1', lotExpiresOn: '2031-01-31' },
            { itemId: w.lotted, locationId: w.a1, qty: '2.5', lot: 'L2', lotExpiresOn: '2030-06-30' },
          ],
        }),
      );
      const noLot = await client.post('/receipts', {
        lines: [{ itemId: w.lotted, locationId: w.a1, qty: '1' }],
      });
      expect(noLot.status).toBe(422);
      expect(noLot.json).toMatchObject({
        code: 'WAREHOUSES_LOT_REQUIRED',
        errors: [{ field: '/body/lines/0/lot' }],
      });
      const lotOnPlain = await client.post('/receipts', {
        lines: [{ itemId: w.plain, locationId: w.a1, qty: '1', lot: 'X' }],
      });
      expect(lotOnPlain.json).toMatchObject({
        code: 'WAREHOUSES_NOT_LOT_TRACKED',
        errors: [{ field: '/body/lines/0/lot' }],
      });
      const tooMuchOfL2 = await client.post('/issues', {
        lines: [{ itemId: w.lotted, locationId: w.a1, lot: 'L2', qty: '3' }],
      });
      expect(tooMuchOfL2.status).toBe(409);
      expect(tooMuchOfL2.json.code).toBe('WAREHOUSES_INSUFFICIENT_STOCK');
      await ok(
        client.post('/issues', { lines: [{ itemId: w.lotted, locationId: w.a1, lot: 'L2', qty: '2.5' }] }),
      );
      expect(await onHand(client, w.lotted)).toEqual({ [`${w.a1}|L1`]: '5' });
      const [first] = await published(api, 'stock.received', (p) => p.itemId === w.lotted);
      expect(first).toMatchObject({ lot: 'L1', lotExpiresOn: '2031-01-31' });
    });

    it('enforces serial rules: count matches quantity, no repeats, never in stock twice, issued only from where it is', async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      const other = await ok(
        client.post('/items', {
          sku: `${w.warehouseId.slice(0, 8)}-SAW`,
          name: 'Saw',
          uom: 'EA',
          tracking: 'serial',
        }),
      );
      await ok(
        client.post('/receipts', {
          supplier: 'Makita',
          lines: [{ itemId: w.serial, locationId: w.a1, qty: '3', serials: ['S1', 'S2', 'S3'] }],
        }),
      );
      await ok(
        client.post('/receipts', {
          lines: [{ itemId: other.id, locationId: w.a1, qty: '1', serials: ['SAW-1'] }],
        }),
      );
      const cases: Array<[object, number, string, string]> = [
        [{ qty: '2', serials: ['S4'] }, 422, 'WAREHOUSES_SERIAL_COUNT_MISMATCH', '/body/lines/0/serials'],
        [{ qty: '2', serials: ['S5', 'S5'] }, 422, 'WAREHOUSES_SERIAL_DUPLICATE', '/body/lines/0/serials/1'],
        [{ qty: '1' }, 422, 'WAREHOUSES_SERIAL_COUNT_MISMATCH', '/body/lines/0/serials'],
        [{ qty: '2', serials: ['S9', 'S2'] }, 409, 'WAREHOUSES_SERIAL_IN_STOCK', '/body/lines/0/serials/1'],
      ];
      for (const [line, status, code, field] of cases) {
        const res = await client.post('/receipts', {
          lines: [{ itemId: w.serial, locationId: w.a2, ...line }],
        });
        expect([res.status, res.json.code, res.json.errors?.[0]?.field]).toEqual([status, code, field]);
      }
      const issues: Array<[object, number, string]> = [
        [{ locationId: w.a2, qty: '1', serials: ['S1'] }, 409, 'WAREHOUSES_SERIAL_NOT_IN_LOCATION'],
        [{ locationId: w.a1, qty: '1', serials: ['SAW-1'] }, 422, 'WAREHOUSES_SERIAL_OTHER_ITEM'],
        [{ locationId: w.a1, qty: '1', serials: ['NOPE'] }, 422, 'WAREHOUSES_SERIAL_UNKNOWN'],
        [{ locationId: w.a1, qty: '2', serials: ['S1'] }, 422, 'WAREHOUSES_SERIAL_COUNT_MISMATCH'],
        [{ locationId: w.a1, qty: '1.5', serials: ['S1'] }, 422, 'WAREHOUSES_QTY_PRECISION'],
      ];
      for (const [line, status, code] of issues) {
        const res = await client.post('/issues', { lines: [{ itemId: w.serial, ...line }] });
        expect([res.status, res.json.code]).toEqual([status, code]);
      }
      const sold = await ok(
        client.post('/issues', {
          customer: 'Carol',
          lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['S2'] }],
        }),
      );
      const again = await client.post('/issues', {
        lines: [{ itemId: w.serial, locationId: w.a1, qty: '1', serials: ['S2'] }],
      });
      expect(again.json.code).toBe('WAREHOUSES_SERIAL_NOT_IN_STOCK');
      const inStock = await ok(client.get(`/serials?itemId=${w.serial}`), 200);
      expect(inStock.serials.map((s: any) => s.serial)).toEqual(['S1', 'S3']);
      // Once it has left, the same serial may come back (here as a customer return).
      await ok(
        client.post('/receipts', {
          lines: [
            { itemId: w.serial, locationId: w.a2, qty: '1', serials: ['S2'], returnOf: sold.moves[0].id },
          ],
        }),
      );
      const history = await ok(client.get(`/moves?itemId=${w.serial}&serial=S2`), 200);
      expect(history.moves.map((m: any) => [m.kind, m.qty])).toEqual([
        ['receipt', '3'],
        ['issue', '-1'],
        ['customer-return', '1'],
      ]);
    });
  });
}
