// Metered usage and quotas (issue 11): a sandboxed plugin's calls are counted per tenant and hour
// (CPU, database time and rows, events, invocations), persisted across instances in
// erp.plugin_usage, shown to the tenant's administrators as JSON and as metrics text; over its
// quota the plugin answers 429 for that tenant only, while the tenant's other routes and the
// other tenant's calls of the same plugin keep being served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const QUOTA = 6;
const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'metered', version: '1.0.0', trust: 'third-party' });

describe('metered usage and quotas of a sandboxed plugin', () => {
  let k: TestKernel;
  let a: TestTenant;
  let b: TestTenant;
  const call = (t: TestTenant, method: 'GET' | 'POST', url: string, payload?: object) =>
    k.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    k = await startTestKernel({
      ERP_PLUGIN_PATH: folder.root,
      ERP_BACKGROUND: 'false',
      ERP_PLUGIN_QUOTA_INVOCATIONS: String(QUOTA),
      ERP_PLUGIN_USAGE_FLUSH_MS: '100',
    });
    a = await createTenant(k);
    b = await createTenant(k);
    for (const t of [a, b]) {
      const res = await call(t, 'POST', '/api/v1/plugins/installations', { plugin: 'metered' });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('answers 429 with a stable code once the tenant used its quota, and only for that plugin and tenant', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < QUOTA; i++)
      statuses.push((await call(a, 'POST', '/api/v1/p/metered/items', { name: `item ${i}` })).statusCode);
    expect(statuses).toEqual(Array(QUOTA).fill(201));
    const over = await call(a, 'GET', '/api/v1/p/metered/items');
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json()).toMatchObject({ code: 'ERP_PLUGIN_QUOTA_EXCEEDED' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Everything else keeps serving: the kernel for A, the same plugin for B.
    expect((await call(a, 'GET', '/api/v1/plugins')).statusCode).toBe(200);
    const theirs = await call(b, 'GET', '/api/v1/p/metered/items');
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(theirs.json().items).toEqual([]);
  });

  it('persists the usage per tenant and hour and shows it to the tenant only', async () => {
    const res = await call(a, 'GET', '/api/v1/plugins/usage');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.quotas).toEqual({ invocations: QUOTA });
    expect(body.hourly).toHaveLength(1);
    const [h] = body.hourly;
    expect(h).toMatchObject({ plugin: 'metered', invocations: QUOTA, failures: 0 });
    expect(h.cpuMs).toBeGreaterThan(0);
    expect(h.dbRows).toBeGreaterThanOrEqual(QUOTA);
    expect(h.dbMs).toBeGreaterThan(0);
    expect(h.events).toBe(QUOTA); // item.created per item
    const [u] = body.usage;
    expect(u).toMatchObject({ plugin: 'metered', runtime: 'sandbox', invocations: QUOTA });
    const { rows } = await k.superuser.query(
      'select tenant_id::text as tenant, invocations::int from erp.plugin_usage order by invocations',
    );
    expect(rows).toEqual([
      { tenant: b.tenantId, invocations: 1 },
      { tenant: a.tenantId, invocations: QUOTA },
    ]);
  });

  it('exports the usage as metrics text', async () => {
    const res = await call(a, 'GET', '/api/v1/plugins/usage/metrics');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('# TYPE erp_plugin_invocations_total counter');
    expect(res.body).toContain(
      `erp_plugin_invocations_total{plugin="metered",version="1.0.0",runtime="sandbox"} ${QUOTA}`,
    );
    expect(res.body).toContain(`erp_plugin_hour_invocations{plugin="metered"} ${QUOTA}`);
    expect(res.body).toMatch(/erp_plugin_cpu_milliseconds_total\{[^}]+\} [0-9.]+/);
  });

  it('refuses the usage to a user without kernel.plugins.read', async () => {
    const res = await k.app.inject({ method: 'GET', url: '/api/v1/plugins/usage/metrics' });
    expect(res.statusCode).toBe(401);
  });
});
