// A kernel with warehouses, costing, the time-tracking stand-in (test/fixtures/time-tracking, or the
// real plugin) and project-costing installed for two tenants. Approved time arrives as
// time-tracking's event, stock issued to a project as costing's events (from warehouses' issues),
// on the real bus.
import { randomUUID } from 'node:crypto';
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
  /** /api/v1/p/project-costing */
  pc: TestClient;
  /** /api/v1/p/warehouses */
  wh: TestClient;
  /** /api/v1/p/time-tracking (the stand-in, or the real plugin) */
  time: TestClient;
  api: TestClient;
}

export interface Env {
  kit: PluginTestKit;
  a: Tenant;
  b: Tenant;
}

const dir = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** Time-tracking as the stand-in (the default) or the real plugin (with-time-tracking.test.ts). */
export type TimeTracking = 'stand-in' | 'real';
const TIME = {
  'stand-in': { folder: dir('../fixtures/time-tracking'), plugin: '@erp-test/time-tracking-stand-in' },
  real: { folder: dir('../../../time-tracking'), plugin: '@erp-plugin/time-tracking' },
};
const pathFor = (time: TimeTracking) => [
  dir('../../../warehouses'),
  dir('../../../costing'),
  TIME[time].folder,
];
const pluginsFor = (time: TimeTracking) => [
  '@erp-plugin/warehouses',
  '@erp-plugin/costing',
  TIME[time].plugin,
  '@erp-plugin/project-costing',
];

const prefixed = (api: TestClient, prefix: string): TestClient => ({
  get: (p) => api.get(`${prefix}${p}`),
  post: (p, b) => api.post(`${prefix}${p}`, b),
  put: (p, b) => api.put(`${prefix}${p}`, b),
  patch: (p, b) => api.patch(`${prefix}${p}`, b),
  delete: (p) => api.delete(`${prefix}${p}`),
});

async function install(api: TestClient, time: TimeTracking) {
  for (const plugin of pluginsFor(time)) {
    const res = await api.post('/api/v1/plugins/installations', { plugin });
    expect(res.status, `${plugin}: ${JSON.stringify(res.json)}`).toBe(201);
  }
}

const tenant = (s: { tenantId: string; api: TestClient }): Tenant => ({
  tenantId: s.tenantId,
  api: s.api,
  pc: prefixed(s.api, '/api/v1/p/project-costing'),
  wh: prefixed(s.api, '/api/v1/p/warehouses'),
  time: prefixed(s.api, '/api/v1/p/time-tracking'),
});

export async function startEnv(time: TimeTracking = 'stand-in'): Promise<Env> {
  const kit = await createPluginTestKit({
    pluginDir: dir('../..'),
    pluginPath: pathFor(time),
    install: false,
  });
  try {
    await install(kit.api, time);
    const b = await kit.addTenant({ install: false });
    await install(b.api, time);
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

/** A refusal: status, code and the field named; returns the problem. */
export async function refused(p: Promise<TestResponse>, status: number, code: string, field: string) {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json.code).toBe(code);
  expect(res.json.errors?.map((e: { field: string }) => e.field)).toContain(field);
  return res.json;
}

let n = 0;
export const code = (prefix: string) => `${prefix}-${++n}-${Math.random().toString(36).slice(2, 6)}`;

/** Approves a time entry as time-tracking would (its event on the bus). */
export async function approveTime(
  t: Tenant,
  e: {
    userId: string;
    projectId: string;
    activityId?: string | null;
    workDate: string;
    hours: string;
    reversesEntryId?: string;
  },
) {
  const entryId = randomUUID();
  await ok(
    t.time.post('/approved', {
      entryId,
      userId: e.userId,
      projectId: e.projectId,
      activityId: e.activityId ?? null,
      workDate: e.workDate,
      hours: e.hours,
      billable: true,
      reversesEntryId: e.reversesEntryId ?? null,
    }),
    202,
  );
  return entryId;
}

export async function actuals(t: Tenant, projectId: string) {
  return ok(t.pc.get(`/projects/${projectId}/actuals`));
}

export interface Stock {
  itemId: string;
  locationId: string;
}

/** A new item in a new warehouse: `qty` received at `unitCost` (the tenant's base currency). */
export async function stocked(t: Tenant, qty: string, unitCost: string, receivedAt: string): Promise<Stock> {
  const wh = await ok(t.wh.post('/warehouses', { code: code('W'), name: 'Main' }), 201);
  const loc = await ok(t.wh.post('/locations', { warehouseId: wh.id, code: 'STOCK', name: 'Stock' }), 201);
  const item = await ok(t.wh.post('/items', { sku: code('SKU'), name: 'Part', uom: 'EA', qtyScale: 0 }), 201);
  await ok(
    t.wh.post('/receipts', {
      effectiveAt: receivedAt,
      supplier: 'ACME',
      lines: [{ itemId: item.id, locationId: loc.id, qty, unitCost }],
    }),
    201,
  );
  return { itemId: item.id, locationId: loc.id };
}

/** Issues stock, to a project or to none; costing then publishes costing.issue.costed. */
export async function issue(t: Tenant, s: Stock, qty: string, effectiveAt: string, projectId?: string) {
  return ok(
    t.wh.post('/issues', {
      effectiveAt,
      customer: projectId ? 'site' : 'shop',
      ...(projectId ? { projectId } : {}),
      lines: [{ ...s, qty }],
    }),
    201,
  );
}
