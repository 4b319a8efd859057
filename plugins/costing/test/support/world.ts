// A kernel with warehouses and costing installed for two tenants, and the little world each test
// builds through the warehouses API: warehouses with one location each, and items. Moves are posted
// to warehouses; costing learns of them only through warehouses' events on the real bus.
import { fileURLToPath } from 'node:url';
import {
  createPluginTestKit,
  type PluginTestKit,
  type TestClient,
  type TestResponse,
} from '@erp/plugin-testkit';
import { expect } from 'vitest';

export interface Tenant {
  tenantId: string;
  /** /api/v1/p/costing */
  costing: TestClient;
  /** /api/v1/p/warehouses */
  wh: TestClient;
  /** kernel routes */
  api: TestClient;
}

export interface Env {
  kit: PluginTestKit;
  a: Tenant;
  b: Tenant;
}

const WAREHOUSES = fileURLToPath(new URL('../../../warehouses', import.meta.url));

const prefixed = (api: TestClient, prefix: string): TestClient => ({
  get: (p) => api.get(`${prefix}${p}`),
  post: (p, b) => api.post(`${prefix}${p}`, b),
  put: (p, b) => api.put(`${prefix}${p}`, b),
  patch: (p, b) => api.patch(`${prefix}${p}`, b),
  delete: (p) => api.delete(`${prefix}${p}`),
});

async function install(api: TestClient) {
  for (const plugin of ['@erp-plugin/warehouses', '@erp-plugin/costing']) {
    const res = await api.post('/api/v1/plugins/installations', { plugin });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
  }
}

const tenant = (s: { tenantId: string; api: TestClient }): Tenant => ({
  tenantId: s.tenantId,
  api: s.api,
  costing: prefixed(s.api, '/api/v1/p/costing'),
  wh: prefixed(s.api, '/api/v1/p/warehouses'),
});

export async function startEnv(opts: { installB?: boolean } = {}): Promise<Env> {
  // Costing depends on warehouses, so the kit installs nothing and the tests install both in order.
  const kit = await createPluginTestKit({
    pluginDir: new URL('../..', import.meta.url),
    pluginPath: [WAREHOUSES],
    install: false,
  });
  try {
    await install(kit.api);
    const b = await kit.addTenant({ install: false });
    if (opts.installB !== false) await install(b.api);
    return { kit, a: tenant(kit), b: tenant(b) };
  } catch (err) {
    await kit.close();
    throw err;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
export type Body = any;

export async function ok<T = Body>(p: Promise<TestResponse>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return res.json as T;
}

let n = 0;

export interface World {
  warehouse: string;
  location: string;
  /** A second warehouse, for transfers. */
  warehouse2: string;
  location2: string;
}

export async function buildWorld(t: Tenant): Promise<World> {
  const code = `C${++n}${Math.random().toString(36).slice(2, 6)}`;
  const w1 = await ok(t.wh.post('/warehouses', { code: `${code}A`, name: `Main ${code}` }), 201);
  const w2 = await ok(t.wh.post('/warehouses', { code: `${code}B`, name: `Second ${code}` }), 201);
  const l1 = await ok(t.wh.post('/locations', { warehouseId: w1.id, code: 'STOCK', name: 'Stock' }), 201);
  const l2 = await ok(t.wh.post('/locations', { warehouseId: w2.id, code: 'STOCK', name: 'Stock' }), 201);
  return { warehouse: w1.id, location: l1.id, warehouse2: w2.id, location2: l2.id };
}

export async function newItem(t: Tenant, settings?: Record<string, unknown>): Promise<string> {
  const sku = `SKU-${++n}-${Math.random().toString(36).slice(2, 7)}`;
  const item = await ok(t.wh.post('/items', { sku, name: sku, uom: 'EA', qtyScale: 3 }), 201);
  if (settings) await ok(t.costing.put(`/items/${item.id}/settings`, settings));
  return item.id;
}

type Line = Record<string, unknown>;

/** A document line for one item at one location; the unit cost only when given. */
export const stockLine =
  (locationId: string, itemId: string) =>
  (qty: string, unitCost?: string): Line => ({
    itemId,
    locationId,
    qty,
    ...(unitCost ? { unitCost } : {}),
  });

/** Posts a receipt to warehouses; returns the move ids of its lines. */
export async function receive(
  t: Tenant,
  effectiveAt: string,
  lines: Line[],
  extra: Line = {},
): Promise<string[]> {
  const doc = await ok(t.wh.post('/receipts', { effectiveAt, supplier: 'ACME', ...extra, lines }), 201);
  return doc.moves.map((m: { id: string }) => m.id);
}

export async function issue(
  t: Tenant,
  effectiveAt: string,
  lines: Line[],
  extra: Line = {},
): Promise<string[]> {
  const doc = await ok(t.wh.post('/issues', { effectiveAt, customer: 'Bob', ...extra, lines }), 201);
  return doc.moves.map((m: { id: string }) => m.id);
}

/** Waits until costing has a step for every one of the moves and none of the item's steps waits. */
export async function costed(
  env: Env,
  t: Tenant,
  itemId: string,
  moveIds: readonly string[],
  allowWaiting = false,
) {
  let steps: { id: string; status: string }[] = [];
  try {
    await env.kit.waitFor(async () => {
      const res = await t.costing.get(`/steps?itemId=${itemId}&limit=1000`);
      steps = res.json?.steps ?? [];
      const ids = new Set(steps.map((s) => s.id));
      return (
        moveIds.every((id) => ids.has(id)) && (allowWaiting || steps.every((s) => s.status === 'applied'))
      );
    }, 20_000);
  } catch (err) {
    // Say what costing has, so a timeout explains itself.
    throw new Error(
      `${(err as Error).message}: waiting for ${moveIds.join(', ')}; steps ${JSON.stringify(steps, null, 1)}`,
    );
  }
}

export async function valuation(t: Tenant, itemId: string, asOf?: string) {
  const q = new URLSearchParams({ itemId, ...(asOf ? { asOf } : {}) });
  const res = await ok(t.costing.get(`/valuation?${q}`));
  return Object.fromEntries(
    res.rows.map((r: Body) => [r.warehouseId, { qty: r.qty, value: r.value }]),
  ) as Record<string, { qty: string; value: string }>;
}

/** Everything a refused request must leave as it was: steps, documents' effects, valuations. */
export async function snapshot(t: Tenant, itemId: string) {
  const steps = await ok(t.costing.get(`/steps?itemId=${itemId}&limit=1000`));
  const item = await ok(t.costing.get(`/items/${itemId}`));
  const report = await ok(t.costing.get(`/valuation?itemId=${itemId}`));
  return { steps: steps.steps, item, report };
}
