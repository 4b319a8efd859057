// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// The suite's shared kernel (global-kernel.ts) as a test file sees it: its URL and, from the
// tenants reserved for the file, clients for the kernel's API and each plugin's routes; helpers
// that make events happen through warehouses' own API.
import { clientFor, type TestClient } from '@erp/plugin-testkit';
import { expect, inject } from 'vitest';

export interface WorldTenant {
  id: string;
  api: TestClient;
  plugin(id: string): TestClient;
}

export interface World {
  url: string;
  tenants: WorldTenant[];
}

/** The shared kernel with the tenants `first` and `first + 1` of the suite. */
export function world(first: number): World {
  const k = inject('kernel');
  const tenants = k.tenants.slice(first, first + 2).map((t) => ({
    id: t.id,
    api: clientFor(k.url, t.token),
    plugin: (id: string) => clientFor(`${k.url}/api/v1/p/${id}`, t.token),
  }));
  return { url: k.url, tenants };
}

export async function ok<T = any>(p: Promise<{ status: number; json: any }>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return res.json as T;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let n = 0;

/** An item and a location to receive into; each receipt publishes warehouses.stock.received. */
export async function stockPlace(wh: TestClient) {
  const code = `W${++n}`;
  const w = await ok(wh.post('/warehouses', { code, name: code }), 201);
  const loc = await ok(wh.post('/locations', { warehouseId: w.id, code: 'STOCK', name: 'Stock' }), 201);
  const item = await ok(wh.post('/items', { sku: `${code}-BOLT`, name: 'Bolt', uom: 'EA' }), 201);
  return {
    receive: (qty: string) =>
      ok(wh.post('/receipts', { lines: [{ itemId: item.id, locationId: loc.id, qty }] }), 201),
  };
}
