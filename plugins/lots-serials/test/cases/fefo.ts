// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// FEFO: earliest expiry first, then earliest arrival; expired and recalled lots never suggested.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, learnt, ok, pluginClient } from '../support/setup.js';

export function fefo(kit: () => PluginTestKit) {
  describe('FEFO suggestions', () => {
    it('suggests lots by expiry, then arrival, skipping expired ones, and reports a shortfall', async () => {
      const { client, api } = kit();
      const wh = pluginClient(api, 'warehouses');
      const w = await buildWorld(wh);
      const receive = (effectiveAt: string, lines: object[]) =>
        ok(
          wh.post('/receipts', {
            supplier: 'Dairy',
            effectiveAt,
            lines: lines.map((l) => ({ itemId: w.milk, ...l })),
          }),
        );
      await receive('2025-01-01T08:00:00Z', [
        { locationId: w.a1, qty: '5', lot: 'L-LATE', lotExpiresOn: '2031-03-01' },
        { locationId: w.a1, qty: '4', lot: 'L-NOEXP' },
        { locationId: w.a1, qty: '9', lot: 'L-OLD', lotExpiresOn: '2020-01-01' },
      ]);
      await receive('2025-01-02T08:00:00Z', [
        { locationId: w.a2, qty: '3.5', lot: 'L-SOON-2', lotExpiresOn: '2030-12-01' },
      ]);
      await receive('2025-01-01T09:00:00Z', [
        { locationId: w.a1, qty: '2.25', lot: 'L-SOON-1', lotExpiresOn: '2030-12-01' },
      ]);
      await learnt(kit(), w.milk, 5);

      const pick = await ok(client.get(`/fefo?itemId=${w.milk}&qty=7`), 200);
      expect(pick.picks.map((p: any) => [p.lot, p.qty, p.available, p.expiresOn])).toEqual([
        ['L-SOON-1', '2.25', '2.25', '2030-12-01'],
        ['L-SOON-2', '3.5', '3.5', '2030-12-01'],
        ['L-LATE', '1.25', '5', '2031-03-01'],
      ]);
      expect(pick).toMatchObject({ requested: '7', allocated: '7', shortfall: '0' });
      expect(pick.excluded).toEqual([expect.objectContaining({ lot: 'L-OLD', reason: 'expired', qty: '9' })]);

      const all = await ok(client.get(`/fefo?itemId=${w.milk}&qty=20`), 200);
      expect(all.picks.map((p: any) => p.lot)).toEqual(['L-SOON-1', 'L-SOON-2', 'L-LATE', 'L-NOEXP']);
      expect(all).toMatchObject({ allocated: '14.75', shortfall: '5.25' });

      const inA2 = await ok(client.get(`/fefo?itemId=${w.milk}&qty=1&locationId=${w.a2}`), 200);
      expect(inA2.picks.map((p: any) => [p.lot, p.qty])).toEqual([['L-SOON-2', '1']]);
      // On a day when the soonest lots have expired, they are no longer suggested.
      const later = await ok(client.get(`/fefo?itemId=${w.milk}&qty=1&on=2030-12-02`), 200);
      expect(later.picks.map((p: any) => p.lot)).toEqual(['L-LATE']);

      const zero = await client.get(`/fefo?itemId=${w.milk}&qty=0`);
      expect(zero.json).toMatchObject({
        code: 'LOTS_SERIALS_QTY_NOT_POSITIVE',
        errors: [{ field: '/query/qty' }],
      });
      const negative = await client.get(`/fefo?itemId=${w.milk}&qty=-1`);
      expect([negative.status, negative.json.errors[0].field]).toEqual([400, '/query/qty']);

      const lots = await ok(client.get(`/lots?itemId=${w.milk}&inStock=true`), 200);
      expect(lots.lots.map((l: any) => [l.code, l.onHand])).toEqual([
        ['L-OLD', '9'],
        ['L-SOON-1', '2.25'],
        ['L-SOON-2', '3.5'],
        ['L-LATE', '5'],
        ['L-NOEXP', '4'],
      ]);
      const corrected = await ok(
        client.patch(`/lots/${w.milk}/L-NOEXP`, { expiresOn: '2029-01-01', manufacturedOn: '2024-12-01' }),
        200,
      );
      expect(corrected).toMatchObject({ expiresOn: '2029-01-01', manufacturedOn: '2024-12-01' });
      const first = await ok(client.get(`/fefo?itemId=${w.milk}&qty=1`), 200);
      expect(first.picks[0].lot).toBe('L-NOEXP');
      const backwards = await client.patch(`/lots/${w.milk}/L-NOEXP`, { expiresOn: '2024-01-01' });
      expect(backwards.json).toMatchObject({
        code: 'LOTS_SERIALS_EXPIRY_BEFORE_MANUFACTURE',
        errors: [{ field: '/body/expiresOn' }],
      });
      const unknown = await client.patch(`/lots/${w.milk}/NOPE`, { note: 'x' });
      expect([unknown.status, unknown.json.code]).toEqual([404, 'LOTS_SERIALS_LOT_NOT_FOUND']);
    });
  });
}
