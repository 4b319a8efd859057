// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// The serial rules hold at the moment of the move, in its transaction (warehouses enforces them
// with lots-serials installed just as without): a refused move reaches neither ledger nor trace.
import type { PluginTestKit } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, learnt, ok, pluginClient } from '../support/setup.js';

export function serialRules(kit: () => PluginTestKit) {
  describe('serial rules', () => {
    it('refuses a serial twice, from the wrong place, of another item or miscounted, and traces only what moved', async () => {
      const { client, api } = kit();
      const wh = pluginClient(api, 'warehouses');
      const w = await buildWorld(wh);
      await ok(
        wh.post('/receipts', {
          supplier: 'Bosch',
          lines: [{ itemId: w.drill, locationId: w.a1, qty: '2', serials: ['R-1', 'R-2'] }],
        }),
      );
      await ok(wh.post('/receipts', { lines: [{ itemId: w.milk, locationId: w.a1, qty: '1', lot: 'R-3' }] }));
      const refused: Array<[string, object, string]> = [
        [
          '/receipts',
          { itemId: w.drill, locationId: w.a2, qty: '1', serials: ['R-1'] },
          'WAREHOUSES_SERIAL_IN_STOCK',
        ],
        [
          '/receipts',
          { itemId: w.drill, locationId: w.a2, qty: '2', serials: ['R-9', 'R-9'] },
          'WAREHOUSES_SERIAL_DUPLICATE',
        ],
        [
          '/issues',
          { itemId: w.drill, locationId: w.a2, qty: '1', serials: ['R-1'] },
          'WAREHOUSES_SERIAL_NOT_IN_LOCATION',
        ],
        [
          '/issues',
          { itemId: w.drill, locationId: w.a1, qty: '2', serials: ['R-1'] },
          'WAREHOUSES_SERIAL_COUNT_MISMATCH',
        ],
        [
          '/issues',
          { itemId: w.drill, locationId: w.a1, qty: '1', serials: ['R-7'] },
          'WAREHOUSES_SERIAL_UNKNOWN',
        ],
      ];
      for (const [path, line, code] of refused) {
        const res = await wh.post(path, { lines: [line] });
        expect([path, res.json.code]).toEqual([path, code]);
      }
      const other = await ok(
        wh.post('/items', { sku: `${w.drill}-X`, name: 'Other', uom: 'EA', tracking: 'serial' }),
      );
      await ok(
        wh.post('/receipts', { lines: [{ itemId: other.id, locationId: w.a1, qty: '1', serials: ['R-8'] }] }),
      );
      const foreign = await wh.post('/issues', {
        lines: [{ itemId: w.drill, locationId: w.a1, qty: '1', serials: ['R-8'] }],
      });
      expect(foreign.json).toMatchObject({
        code: 'WAREHOUSES_SERIAL_OTHER_ITEM',
        errors: [{ field: '/body/lines/0/serials/0' }],
      });
      await ok(
        wh.post('/issues', {
          customer: 'Flo',
          lines: [{ itemId: w.drill, locationId: w.a1, qty: '1', serials: ['R-1'] }],
        }),
      );
      const moves = await learnt(kit(), w.drill, 2);
      expect(moves.map((m: any) => [m.kind, m.serials])).toEqual([
        ['receipt', ['R-1', 'R-2']],
        ['issue', ['R-1']],
      ]);
      const inStock = await ok(client.get(`/serials?itemId=${w.drill}&inStock=true`), 200);
      expect(inStock.serials.map((s: any) => s.serial)).toEqual(['R-2']);
    });
  });
}
