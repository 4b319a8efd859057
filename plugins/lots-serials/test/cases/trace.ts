// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Forward and backward trace of lots and serials, warranty per serial, and recalls.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, learnt, ok, pluginClient } from '../support/setup.js';

export function trace(kit: () => PluginTestKit) {
  describe('traceability, recalls and warranty', () => {
    it('traces a lot forward to every move and customer, and back to its supplier; recalls it', async () => {
      const { client, api } = kit();
      const wh = pluginClient(api, 'warehouses');
      const w = await buildWorld(wh);
      const receipt = await ok(
        wh.post('/receipts', {
          supplier: 'Dairy Co',
          reference: 'PO-100',
          lines: [
            { itemId: w.milk, locationId: w.a1, qty: '10', lot: 'L-100', lotExpiresOn: '2031-01-01' },
            { itemId: w.milk, locationId: w.a1, qty: '4', lot: 'L-200', lotExpiresOn: '2031-06-01' },
          ],
        }),
      );
      const t = await ok(
        wh.post('/transfers', {
          fromLocationId: w.a1,
          toLocationId: w.a2,
          lines: [{ itemId: w.milk, qty: '6', lot: 'L-100' }],
        }),
      );
      await ok(wh.post(`/transfers/${t.id}/approve`, {}), 200);
      const sale1 = await ok(
        wh.post('/issues', {
          customer: 'Cafe One',
          reference: 'SO-1',
          lines: [{ itemId: w.milk, locationId: w.a2, qty: '3', lot: 'L-100' }],
        }),
      );
      await ok(
        wh.post('/issues', {
          customer: 'Cafe Two',
          reference: 'SO-2',
          lines: [{ itemId: w.milk, locationId: w.a1, qty: '2', lot: 'L-100' }],
        }),
      );
      await ok(
        wh.post('/receipts', {
          lines: [{ itemId: w.milk, locationId: w.a1, qty: '1', returnOf: sale1.moves[0].id }],
        }),
      );
      await learnt(kit(), w.milk, 7);

      const tr = await ok(client.get(`/trace/lots/${w.milk}/L-100`), 200);
      expect(tr.lot).toMatchObject({ code: 'L-100', expiresOn: '2031-01-01', onHand: '6' });
      expect(tr.suppliers).toEqual([
        expect.objectContaining({
          supplier: 'Dairy Co',
          reference: 'PO-100',
          qty: '10',
          moveId: receipt.moves[0].id,
        }),
      ]);
      expect(tr.moves.map((m: any) => [m.kind, m.qty])).toEqual([
        ['receipt', '10'],
        ['transfer-out', '-6'],
        ['transfer-in', '6'],
        ['issue', '-3'],
        ['issue', '-2'],
        ['customer-return', '1'],
      ]);
      expect(tr.customers).toEqual([
        expect.objectContaining({
          customer: 'Cafe One',
          issued: '3',
          returned: '1',
          outstanding: '2',
          references: ['SO-1'],
        }),
        expect.objectContaining({
          customer: 'Cafe Two',
          issued: '2',
          returned: '0',
          outstanding: '2',
          references: ['SO-2'],
        }),
      ]);
      expect(tr.lot.locations).toEqual(
        expect.arrayContaining([
          { warehouseId: w.warehouseId, locationId: w.a1, qty: '3' },
          { warehouseId: w.warehouseId, locationId: w.a2, qty: '3' },
        ]),
      );

      const recall = await ok(
        client.post('/recalls', { itemId: w.milk, lots: ['L-100'], reason: 'Listeria found in batch' }),
      );
      expect(recall.lots).toEqual([
        expect.objectContaining({ code: 'L-100', status: 'recalled', received: '10', onHand: '6' }),
      ]);
      expect(recall.customers.map((c: any) => [c.customer, c.outstanding])).toEqual([
        ['Cafe One', '2'],
        ['Cafe Two', '2'],
      ]);
      expect(recall.onHand.map((o: any) => o.qty).sort()).toEqual(['3', '3']);
      expect(recall.suppliers.map((s: any) => s.supplier)).toEqual(['Dairy Co']);
      const pick = await ok(client.get(`/fefo?itemId=${w.milk}&qty=1`), 200);
      expect(pick.picks.map((p: any) => p.lot)).toEqual(['L-200']);
      expect(pick.excluded.map((e: any) => e.reason)).toEqual(['recalled', 'recalled']);
      const events = await ok(api.get('/api/v1/events?type=lots-serials.lot.recalled'), 200);
      expect(events.items.map((e: any) => e.payload)).toContainEqual(
        expect.objectContaining({ recallId: recall.id, itemId: w.milk, lots: ['L-100'] }),
      );
      expect((await ok(client.get(`/recalls/${recall.id}`), 200)).customers).toHaveLength(2);
      const unknown = await client.post('/recalls', {
        itemId: w.milk,
        lots: ['L-200', 'L-999'],
        reason: 'x',
      });
      expect(unknown.json).toMatchObject({
        code: 'LOTS_SERIALS_LOT_UNKNOWN',
        errors: [{ field: '/body/lots/1' }],
      });
    });

    it('traces a serial back to its receipt and supplier and forward to its customer, with its warranty', async () => {
      const { client, api } = kit();
      const wh = pluginClient(api, 'warehouses');
      const w = await buildWorld(wh);
      await ok(
        client.put(`/warranty-policies/${w.drill}`, {
          months: 24,
          starts: 'delivery',
          terms: 'Parts and labour',
        }),
        200,
      );
      const receipt = await ok(
        wh.post('/receipts', {
          supplier: 'Bosch',
          reference: 'PO-7',
          effectiveAt: '2025-03-01T10:00:00Z',
          lines: [{ itemId: w.drill, locationId: w.a1, qty: '2', serials: ['D-1', 'D-2'], unitCost: '80' }],
        }),
      );
      await ok(
        wh.post('/issues', {
          customer: 'Dan',
          reference: 'SO-5',
          effectiveAt: '2025-03-10T15:00:00Z',
          lines: [{ itemId: w.drill, locationId: w.a1, qty: '1', serials: ['D-1'] }],
        }),
      );
      await learnt(kit(), w.drill, 2);

      const tr = await ok(client.get(`/trace/serials/${w.drill}/D-1`), 200);
      expect(tr.serial).toMatchObject({
        serial: 'D-1',
        inStock: false,
        supplier: 'Bosch',
        receiptReference: 'PO-7',
        receivedMoveId: receipt.moves[0].id,
        receivedAt: '2025-03-01T10:00:00.000000Z',
        customer: 'Dan',
        deliveryReference: 'SO-5',
        warranty: {
          startsOn: '2025-03-10',
          endsOn: '2027-03-09',
          terms: 'Parts and labour',
          source: 'policy',
        },
      });
      expect(tr.moves.map((m: any) => [m.kind, m.partner])).toEqual([
        ['receipt', 'Bosch'],
        ['issue', 'Dan'],
      ]);
      const onDay = await ok(client.get(`/serials/${w.drill}/D-1?on=2026-03-09`), 200);
      expect(onDay.warranty).toMatchObject({ status: 'active', daysLeft: 365 });
      expect((await ok(client.get(`/serials/${w.drill}/D-1?on=2027-03-10`), 200)).warranty.status).toBe(
        'expired',
      );
      const d2 = await ok(client.get(`/serials/${w.drill}/D-2`), 200);
      expect(d2).toMatchObject({
        inStock: true,
        locationId: w.a1,
        customer: null,
        warranty: { status: 'none' },
      });

      const manual = await ok(
        client.put(`/serials/${w.drill}/D-2/warranty`, { startsOn: '2025-01-01', endsOn: '2025-12-31' }),
        200,
      );
      expect(manual.warranty).toMatchObject({ source: 'manual', endsOn: '2025-12-31' });
      const backwards = await client.put(`/serials/${w.drill}/D-2/warranty`, {
        startsOn: '2025-01-02',
        endsOn: '2025-01-01',
      });
      expect(backwards.json).toMatchObject({
        code: 'LOTS_SERIALS_WARRANTY_ENDS_BEFORE_START',
        errors: [{ field: '/body/endsOn' }],
      });
      const missing = await client.get(`/trace/serials/${w.drill}/NOPE`);
      expect([missing.status, missing.json.code]).toEqual([404, 'LOTS_SERIALS_SERIAL_NOT_FOUND']);
      // A manual warranty survives the delivery that would start the policy's.
      await ok(
        wh.post('/issues', {
          customer: 'Erin',
          lines: [{ itemId: w.drill, locationId: w.a1, qty: '1', serials: ['D-2'] }],
        }),
      );
      await learnt(kit(), w.drill, 3);
      expect((await ok(client.get(`/serials/${w.drill}/D-2`), 200)).warranty).toMatchObject({
        source: 'manual',
        endsOn: '2025-12-31',
      });
      const byCustomer = await ok(client.get('/serials?customer=Erin'), 200);
      expect(byCustomer.serials.map((s: any) => s.serial)).toEqual(['D-2']);
    });
  });
}
