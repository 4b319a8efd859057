// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// The world the cases share: a kernel with time-tracking and the project-costing stand-in, two
// tenants, and people signed in over real HTTP with the roles the cases need (a worker who records
// time, an approver, a finance approver, a manager of rates). Projects reach time-tracking only as
// project.upserted events.
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  clientFor,
  createPluginTestKit,
  type PluginTestKit,
  type TestClient,
  type TestResponse,
} from '@erp/plugin-testkit';
import { expect } from 'vitest';

export const STAND_IN = fileURLToPath(new URL('../fixtures/project-costing', import.meta.url));
const PASSWORD = 'Time-test-Passw0rd!x7';

export interface Person {
  id: string;
  email: string;
  /** time-tracking routes as this person */
  time: TestClient;
}

export interface TenantWorld {
  tenantId: string;
  slug: string;
  admin: TestClient;
  api: TestClient;
  worker: Person;
  worker2: Person;
  approver: Person;
  finance: Person;
}

export interface Env {
  kit: PluginTestKit;
  base: string;
  a: TenantWorld;
  b: TenantWorld;
}

export async function ok<T = any>(p: Promise<TestResponse>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return res.json as T;
}

const WORKER = ['time.entries.read-own', 'time.entries.write-own'];

async function person(
  base: string,
  api: TestClient,
  slug: string,
  name: string,
  permissions: string[],
): Promise<Person> {
  const role = await ok(
    api.post('/api/v1/iam/roles', { name: `${name}-${randomBytes(3).toString('hex')}`, permissions }),
    201,
  );
  const email = `${name}-${randomBytes(3).toString('hex')}@${slug}.test`;
  const user = await ok(
    api.post('/api/v1/iam/users', { email, password: PASSWORD, roleIds: [role.id] }),
    201,
  );
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: slug, email, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { id: user.id, email, time: clientFor(`${base}/api/v1/p/time-tracking`, accessToken) };
}

async function tenant(
  base: string,
  s: { tenantId: string; client: TestClient; api: TestClient },
): Promise<TenantWorld> {
  const me = await ok(s.api.get('/api/v1/auth/me'));
  const slug = String(me.email)
    .split('@')[1]!
    .replace(/\.test$/, '');
  const installed = await s.api.post('/api/v1/plugins/installations', {
    plugin: '@erp-test/project-costing-stand-in',
  });
  expect([201, 409], JSON.stringify(installed.json)).toContain(installed.status);
  return {
    tenantId: s.tenantId,
    slug,
    admin: s.client,
    api: s.api,
    worker: await person(base, s.api, slug, 'worker', WORKER),
    worker2: await person(base, s.api, slug, 'worker2', WORKER),
    approver: await person(base, s.api, slug, 'approver', [
      ...WORKER,
      'time.entries.approve',
      'time.entries.read-all',
    ]),
    finance: await person(base, s.api, slug, 'finance', [...WORKER, 'time.finance.approve']),
  };
}

export async function startEnv(): Promise<Env> {
  const kit = await createPluginTestKit({
    pluginDir: new URL('../..', import.meta.url),
    pluginPath: [STAND_IN],
  });
  try {
    const base = await kit.listen();
    const a = await tenant(base, kit);
    const b = await tenant(base, await kit.addTenant());
    return { kit, base, a, b };
  } catch (err) {
    await kit.close();
    throw err;
  }
}

export interface Project {
  projectId: string;
  activities: Array<{ activityId: string; code: string }>;
  client: string | null;
}

/** Publishes a project through the stand-in and waits until time-tracking has it. */
export async function newProject(
  env: Env,
  t: TenantWorld,
  over: Partial<{
    projectId: string;
    activityId: string;
    client: string | null;
    status: string;
    startsOn: string | null;
    endsOn: string | null;
  }> = {},
): Promise<Project> {
  const projectId = over.projectId ?? randomUUID();
  const activityId = over.activityId ?? randomUUID();
  const payload = {
    projectId,
    code: `P-${projectId.slice(0, 6)}`,
    name: 'Project',
    client: over.client === undefined ? 'Acme' : over.client,
    status: over.status ?? 'active',
    currency: 'EUR',
    startsOn: over.startsOn === undefined ? '2026-01-01' : over.startsOn,
    endsOn: over.endsOn === undefined ? '2026-12-31' : over.endsOn,
    activities: [{ activityId, code: 'DEV', name: 'Development', startsOn: null, endsOn: null }],
  };
  await ok(t.api.post('/api/v1/p/project-costing/projects', payload), 202);
  await env.kit.waitFor(async () => {
    const res = await t.admin.get(
      `/rates/resolve?userId=${t.worker.id}&projectId=${projectId}&workDate=2026-06-01`,
    );
    return res.status === 200;
  });
  return { projectId, activities: [{ activityId, code: 'DEV' }], client: payload.client };
}

/** The tenant's time-tracking events in the outbox, oldest first. */
export async function published(t: TenantWorld, type: string): Promise<any[]> {
  const res = await ok(t.api.get(`/api/v1/events?type=time-tracking.${type}&limit=500`));
  return res.items.map((e: any) => e.payload);
}

export async function setConfig(t: TenantWorld, config: object) {
  await ok(t.api.put('/api/v1/plugins/installations/time-tracking/config', { config }));
}
