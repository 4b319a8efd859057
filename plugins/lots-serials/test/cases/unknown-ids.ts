// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Every route that names a lot, a serial or a recall in its path answers 404 with a problem naming
// the path field when nothing by that name exists (issue 20): an unknown item, or a known item with
// an unknown lot code or serial. A refused write changes nothing.
import type { PluginTestKit, TestClient, TestResponse } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, learnt, ok, pluginClient } from '../support/setup.js';

const UNKNOWN = '00000000-0000-4000-8000-00000000abcd';

const routes = (item: string, lot: string, serial: string): [string, string, unknown, string, string][] => [
  ['GET', `/lots/${item}/${lot}`, undefined, 'LOTS_SERIALS_LOT_NOT_FOUND', '/params/code'],
  ['PATCH', `/lots/${item}/${lot}`, { note: 'changed' }, 'LOTS_SERIALS_LOT_NOT_FOUND', '/params/code'],
  ['GET', `/trace/lots/${item}/${lot}`, undefined, 'LOTS_SERIALS_LOT_NOT_FOUND', '/params/code'],
  ['GET', `/serials/${item}/${serial}`, undefined, 'LOTS_SERIALS_SERIAL_NOT_FOUND', '/params/serial'],
  [
    'PUT',
    `/serials/${item}/${serial}/warranty`,
    { startsOn: '2025-01-01', endsOn: '2026-01-01' },
    'LOTS_SERIALS_SERIAL_NOT_FOUND',
    '/params/serial',
  ],
  ['GET', `/trace/serials/${item}/${serial}`, undefined, 'LOTS_SERIALS_SERIAL_NOT_FOUND', '/params/serial'],
  ['GET', `/recalls/${UNKNOWN}`, undefined, 'LOTS_SERIALS_RECALL_NOT_FOUND', '/params/id'],
];

function send(client: TestClient, method: string, path: string, body: unknown): Promise<TestResponse> {
  if (method === 'GET') return client.get(path);
  if (method === 'PATCH') return client.patch(path, body);
  return client.put(path, body);
}

async function expectNotFound(client: TestClient, item: string, lot: string, serial: string) {
  for (const [method, path, body, code, field] of routes(item, lot, serial)) {
    const res = await send(client, method, path, body);
    const what = `${method} ${path}: ${JSON.stringify(res.json)}`;
    expect([res.status, res.json?.code, res.json?.errors?.[0]?.field], what).toEqual([404, code, field]);
    expect(res.headers['content-type'], what).toMatch(/application\/problem\+json/);
  }
}

export function unknownIds(kit: () => PluginTestKit) {
  describe('unknown ids', () => {
    it('answers 404 with a problem for an unknown item, lot, serial or recall', async () => {
      const k = kit();
      await expectNotFound(k.client, UNKNOWN, 'NO-SUCH-LOT', 'NO-SUCH-SERIAL');
      // A known item with a lot and a serial that exist, asked for ones that do not.
      const wh = pluginClient(k.api, 'warehouses');
      const w = await buildWorld(wh);
      await ok(
        wh.post('/receipts', {
          lines: [
            { itemId: w.milk, locationId: w.a1, qty: '1', lot: 'REAL' },
            { itemId: w.drill, locationId: w.a1, qty: '1', serials: ['SN-REAL'] },
          ],
        }),
      );
      await learnt(k, w.milk, 1);
      await learnt(k, w.drill, 1);
      const lot = await ok(k.client.get(`/lots/${w.milk}/REAL`), 200);
      await expectNotFound(k.client, w.milk, 'NOT-REAL', 'SN-NOT-REAL');
      await expectNotFound(k.client, w.drill, 'NOT-REAL', 'SN-NOT-REAL');
      // The refused PATCH and PUT touched nothing.
      expect(await ok(k.client.get(`/lots/${w.milk}/REAL`), 200)).toEqual(lot);
      expect((await ok(k.client.get(`/serials/${w.drill}/SN-REAL`), 200)).warranty.source).toBeNull();
    });
  });
}
