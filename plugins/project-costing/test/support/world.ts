// A kernel with warehouses, costing, the time-tracking stand-in (test/fixtures/time-tracking) and
// project-costing installed for two tenants. Approved time arrives as time-tracking's event, stock
// issued to a project as costing's events (from warehouses' issues), on the real bus.
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
  /** /api/v1/p/time-tracking (the stand-in) */
  time: TestClient;
  api: TestClient;
}

export interface Env {
  kit: PluginTestKit;
  a: Tenant;
  b: Tenant;
}

const dir = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const PATH = [dir('../../../warehouses'), dir('../../../costing'), dir('../fixtures/time-tracking')];
const PLUGINS = [
  '@erp-plugin/warehouses',
  '@erp-plugin/costing',
  '@erp-test/time-tracking-stand-in',
  '@erp-plugin/project-costing',
];

const prefixed = (api: TestClient, prefix: string): TestClient => ({
  get: (p) => api.get(`${prefix}${p}`),
  post: (p, b) => api.post(`${prefix}${p}`, b),
  put: (p, b) => api.put(`${prefix}${p}`, b),
  patch: (p, b) => api.patch(`${prefix}${p}`, b),
  delete: (p) => api.delete(`${prefix}${p}`),
});

async function install(api: TestClient) {
  for (const plugin of PLUGINS) {
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

export async function startEnv(): Promise<Env> {
  const kit = await createPluginTestKit({ pluginDir: dir('../..'), pluginPath: PATH, install: false });
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
