// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Every route that takes an id in its path answers 404 with a problem naming /params/id when the id
// names nothing this tenant has (issue 20) — a made-up id, or one that exists only in another
// tenant — and a refused write leaves the other tenant's row as it was.
import type { PluginTestKit, TestClient, TestResponse } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok } from '../support/setup.js';

const UNKNOWN = '00000000-0000-4000-8000-00000000abcd';

/** [method, path, body, code] for each route with an id, given the id. */
const routes = (id: string): [string, string, unknown, string][] => [
  ['GET', `/items/${id}`, undefined, 'WAREHOUSES_ITEM_NOT_FOUND'],
  ['PATCH', `/items/${id}`, { name: 'Renamed' }, 'WAREHOUSES_ITEM_NOT_FOUND'],
  ['GET', `/warehouses/${id}`, undefined, 'WAREHOUSES_WAREHOUSE_NOT_FOUND'],
  ['GET', `/locations/${id}`, undefined, 'WAREHOUSES_LOCATION_NOT_FOUND'],
  ['DELETE', `/reorder-points/${id}`, undefined, 'WAREHOUSES_REORDER_POINT_NOT_FOUND'],
  ['GET', `/moves/${id}`, undefined, 'WAREHOUSES_MOVE_NOT_FOUND'],
  ['GET', `/counts/${id}`, undefined, 'WAREHOUSES_COUNT_NOT_FOUND'],
  [
    'PUT',
    `/counts/${id}/lines`,
    { lines: [{ itemId: UNKNOWN, countedQty: '1' }] },
    'WAREHOUSES_COUNT_NOT_FOUND',
  ],
  ['POST', `/counts/${id}/post`, undefined, 'WAREHOUSES_COUNT_NOT_FOUND'],
  ['POST', `/counts/${id}/cancel`, undefined, 'WAREHOUSES_COUNT_NOT_FOUND'],
  ['GET', `/transfers/${id}`, undefined, 'WAREHOUSES_TRANSFER_NOT_FOUND'],
  ['POST', `/transfers/${id}/approve`, {}, 'WAREHOUSES_TRANSFER_NOT_FOUND'],
  ['POST', `/transfers/${id}/reject`, {}, 'WAREHOUSES_TRANSFER_NOT_FOUND'],
  ['POST', `/transfers/${id}/cancel`, {}, 'WAREHOUSES_TRANSFER_NOT_FOUND'],
  ['GET', `/receipts/${id}`, undefined, 'WAREHOUSES_RECEIPT_NOT_FOUND'],
  ['GET', `/issues/${id}`, undefined, 'WAREHOUSES_ISSUE_NOT_FOUND'],
  ['GET', `/adjustments/${id}`, undefined, 'WAREHOUSES_ADJUSTMENT_NOT_FOUND'],
];

function send(client: TestClient, method: string, path: string, body: unknown): Promise<TestResponse> {
  switch (method) {
    case 'GET':
      return client.get(path);
    case 'DELETE':
      return client.delete(path);
    case 'PUT':
      return client.put(path, body);
    case 'PATCH':
      return client.patch(path, body);
    default:
      return client.post(path, body);
  }
}

async function expectNotFound(client: TestClient, id: string) {
  for (const [method, path, body, code] of routes(id)) {
    const res = await send(client, method, path, body);
    const what = `${method} ${path}: ${JSON.stringify(res.json)}`;
    expect([res.status, res.json?.code, res.json?.errors?.[0]?.field], what).toEqual([
      404,
      code,
      '/params/id',
    ]);
    expect(res.headers['content-type'], what).toMatch(/application\/problem\+json/);
  }
}

export function unknownIds(kit: () => PluginTestKit) {
  describe('unknown ids', () => {
    it('answers 404 with a problem on every route that takes an id', async () => {
      await expectNotFound(kit().client, UNKNOWN);
    });

    it("answers 404 for another tenant's item and leaves it unchanged", async () => {
      const { client } = kit();
      const w = await buildWorld(client);
      const other = await kit().addTenant();
      await expectNotFound(other.client, w.plain);
      const item = await ok(client.get(`/items/${w.plain}`), 200);
      expect(item.name).not.toBe('Renamed');
    });
  });
}
