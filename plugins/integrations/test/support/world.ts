// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// A kernel with two tenants running warehouses and integrations, and helpers that make events
// happen through warehouses' own API.
import { fileURLToPath } from 'node:url';
import { type PluginKernel, startPluginKernel, type TestClient } from '@erp/plugin-testkit';
import { expect } from 'vitest';

export const pluginDir = (name: string) => fileURLToPath(new URL(`../../../${name}`, import.meta.url));

export function startWorld(): Promise<PluginKernel> {
  return startPluginKernel({
    pluginDirs: [pluginDir('integrations'), pluginDir('warehouses')],
    tenants: 2,
    install: ['@erp-plugin/warehouses', '@erp-plugin/integrations'],
  });
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
