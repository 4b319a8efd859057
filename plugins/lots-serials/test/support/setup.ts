// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Test helpers: a client for the warehouses plugin next to the kit's lots-serials client, a small
// world (warehouse, bins, a lot item and a serial item), and waiting for the projection, which
// this plugin builds from warehouses' events after they commit.
import type { PluginTestKit, TestClient } from '@erp/plugin-testkit';
import { expect } from 'vitest';

export async function ok<T = any>(p: Promise<{ status: number; json: any }>, status = 201): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return res.json as T;
}

/** Calls /api/v1/p/<plugin>/… through the kit's authenticated kernel client. */
export function pluginClient(api: TestClient, plugin: string): TestClient {
  const p = `/api/v1/p/${plugin}`;
  return {
    get: (path) => api.get(p + path),
    post: (path, body) => api.post(p + path, body),
    put: (path, body) => api.put(p + path, body),
    patch: (path, body) => api.patch(p + path, body),
    delete: (path) => api.delete(p + path),
  };
}

export interface World {
  warehouseId: string;
  a1: string;
  a2: string;
  out: string;
  milk: string;
  drill: string;
}

let n = 0;

export async function buildWorld(wh: TestClient, code = `L${++n}`): Promise<World> {
  const w = await ok(wh.post('/warehouses', { code, name: code }));
  const loc = (c: string) => ok(wh.post('/locations', { warehouseId: w.id, code: c, name: c, kind: 'bin' }));
  const [a1, a2, out] = [await loc('A1'), await loc('A2'), await loc('OUT')];
  const milk = await ok(
    wh.post('/items', { sku: `${code}-MILK`, name: 'Milk', uom: 'L', qtyScale: 2, tracking: 'lot' }),
  );
  const drill = await ok(
    wh.post('/items', { sku: `${code}-DRILL`, name: 'Drill', uom: 'EA', tracking: 'serial' }),
  );
  return { warehouseId: w.id, a1: a1.id, a2: a2.id, out: out.id, milk: milk.id, drill: drill.id };
}

/** Waits until lots-serials has learnt `count` moves of the item from warehouses' events. */
export async function learnt(kit: PluginTestKit, itemId: string, count: number): Promise<any[]> {
  let moves: any[] = [];
  await kit.waitFor(async () => {
    moves = (await kit.client.get(`/moves?itemId=${itemId}`)).json.moves;
    return moves.length >= count;
  });
  expect(moves).toHaveLength(count);
  return moves;
}

/** Polls until the check passes (this plugin learns moves after they commit), or fails. */
export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
