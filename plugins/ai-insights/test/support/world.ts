// A kernel with warehouses, project-costing and ai-insights installed for two tenants. Moves are
// posted to warehouses and expenses to project-costing over HTTP; ai-insights learns of them only
// through their events on the bus.
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
  insights: TestClient;
  wh: TestClient;
  projects: TestClient;
  api: TestClient;
}

export interface Env {
  kit: PluginTestKit;
  a: Tenant;
  b: Tenant;
}

const WAREHOUSES = fileURLToPath(new URL('../../../warehouses', import.meta.url));
const PROJECT_COSTING = fileURLToPath(new URL('../../../project-costing', import.meta.url));

const prefixed = (api: TestClient, prefix: string): TestClient => ({
  get: (p) => api.get(`${prefix}${p}`),
  post: (p, b) => api.post(`${prefix}${p}`, b),
  put: (p, b) => api.put(`${prefix}${p}`, b),
  patch: (p, b) => api.patch(`${prefix}${p}`, b),
  delete: (p) => api.delete(`${prefix}${p}`),
});

async function install(api: TestClient) {
  for (const plugin of ['@erp-plugin/warehouses', '@erp-plugin/project-costing', '@erp-plugin/ai-insights']) {
    const res = await api.post('/api/v1/plugins/installations', { plugin });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
  }
}

const tenant = (s: { tenantId: string; api: TestClient }): Tenant => ({
  tenantId: s.tenantId,
  api: s.api,
  insights: prefixed(s.api, '/api/v1/p/ai-insights'),
  wh: prefixed(s.api, '/api/v1/p/warehouses'),
  projects: prefixed(s.api, '/api/v1/p/project-costing'),
});

export async function startEnv(): Promise<Env> {
  const kit = await createPluginTestKit({
    pluginDir: new URL('../..', import.meta.url),
    pluginPath: [WAREHOUSES, PROJECT_COSTING],
    install: false,
  });
  try {
    await install(kit.api);
    const b = await kit.addTenant({ install: false });
    await install(b.api);
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

export async function buildWorld(t: Tenant) {
  const code = `I${++n}${Math.random().toString(36).slice(2, 6)}`;
  const w = await ok(t.wh.post('/warehouses', { code, name: `Main ${code}` }), 201);
  const l = await ok(t.wh.post('/locations', { warehouseId: w.id, code: 'STOCK', name: 'Stock' }), 201);
  return { warehouse: w.id as string, location: l.id as string };
}

export async function newItem(t: Tenant): Promise<string> {
  const sku = `SKU-${++n}-${Math.random().toString(36).slice(2, 7)}`;
  const item = await ok(t.wh.post('/items', { sku, name: sku, uom: 'EA', qtyScale: 3 }), 201);
  return item.id;
}

const WEEK = 7 * 86_400_000;

/** Monday 12:00 UTC of the week `back` weeks before the current one. */
export function weeksAgo(back: number): string {
  const now = new Date();
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = day - ((now.getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday - back * WEEK + 12 * 3_600_000).toISOString();
}

/** Receives `stock` units long ago, then issues demand[i] in the week demand.length − i weeks back. */
export async function history(
  t: Tenant,
  w: { warehouse: string; location: string },
  item: string,
  stock: number,
  demand: number[],
) {
  await ok(
    t.wh.post('/receipts', {
      effectiveAt: weeksAgo(demand.length + 2),
      supplier: 'ACME',
      lines: [{ itemId: item, locationId: w.location, qty: String(stock), unitCost: '2.5' }],
    }),
    201,
  );
  for (let i = 0; i < demand.length; i++) {
    if (demand[i] === 0) continue;
    await ok(
      t.wh.post('/issues', {
        effectiveAt: weeksAgo(demand.length - i),
        customer: 'Bob',
        lines: [{ itemId: item, locationId: w.location, qty: String(demand[i]) }],
      }),
      201,
    );
  }
}

/** Waits until ai-insights has received `count` issues of the series. */
export async function learnt(env: Env, t: Tenant, item: string, warehouse: string, count: number) {
  await env.kit.waitFor(async () => {
    const res = await t.insights.get(`/history?itemId=${item}&warehouseId=${warehouse}`);
    return res.status === 200 && res.json.issues === count;
  }, 20_000);
}
