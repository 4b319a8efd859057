// biome-ignore-all lint/suspicious/noExplicitAny: parsed exposition text is arbitrary JSON
// GET /metrics as Prometheus scrapes it, parsed by an independent parser of the text format: RED
// per route and plugin, queue depth and age, sealer lag, pool saturation, per plugin per tenant
// usage and the process metrics. Never open: 404 without a configured token, 401 with a wrong one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';
import { type Family, families } from './support/prometheus.js';

const TOKEN = 'scrape-token-0123456789abcdef';
const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'gauged', version: '1.0.0' });

describe('GET /metrics', () => {
  let k: TestKernel;
  let t: TestTenant;
  const scrape = (authorization?: string) =>
    k.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ERP_METRICS_TOKEN: TOKEN });
    t = await createTenant(k);
    const res = await k.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/installations',
      headers: { authorization: t.auth },
      payload: { plugin: 'gauged' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('refuses a scraper without the token, or with a wrong one', async () => {
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`]) {
      const res = await scrape(auth);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('ERP_METRICS_UNAUTHORIZED');
    }
  });

  it('reports requests per route and plugin, queues, pools, plugin usage and the process', async () => {
    const call = (url: string) => k.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });
    expect((await call('/api/v1/p/gauged/items')).statusCode).toBe(200);
    expect((await call('/api/v1/p/gauged/items')).statusCode).toBe(200);
    // Made-up plugin ids answer 404 and add no label value.
    expect((await call('/api/v1/p/no-such-plugin-1/x')).statusCode).toBe(404);
    expect((await call('/api/v1/p/no-such-plugin-2/x')).statusCode).toBe(404);

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = families(res.body);

    expect(res.body).toContain('# TYPE erp_http_request_duration_seconds histogram');
    const http = m.get('erp_http_request_duration_seconds_count')!.metrics;
    const plugin = http.filter((s) => s.labels.route === '/api/v1/p/:plugin/*');
    expect(plugin.find((s) => s.labels.plugin === 'gauged' && s.labels.status === '2xx')?.value).toBe('2');
    expect(plugin.filter((s) => s.labels.status === '4xx').map((s) => s.labels.plugin)).toEqual(['']);
    expect(plugin.find((s) => s.labels.status === '4xx')?.value).toBe('2');
    expect(http.some((s) => s.labels.route === '/api/v1/auth/login' && s.labels.method === 'POST')).toBe(
      true,
    );
    const buckets = m.get('erp_http_request_duration_seconds_bucket')!.metrics;
    const all = buckets.find(
      (s) => s.labels.plugin === 'gauged' && s.labels.status === '2xx' && s.labels.le === '+Inf',
    );
    expect(all?.value).toBe('2');

    const depth = m.get('erp_queue_depth')!;
    expect(depth.metrics.map((s) => s.labels.queue).sort()).toEqual([
      'dead_letters',
      'deliveries',
      'jobs',
      'jobs_failed',
      'outbox',
    ]);
    for (const s of depth.metrics) expect(Number(s.value)).toBeGreaterThanOrEqual(0);
    expect(m.get('erp_queue_oldest_age_seconds')!.metrics).toHaveLength(3);
    expect(m.get('erp_audit_sealer_waiting_tenants')!.metrics).toHaveLength(1);

    const max = m.get('erp_db_pool_max')!.metrics;
    expect(max.map((s) => s.labels.pool).sort()).toEqual(['app', 'owner', 'queue', 'worker']);
    expect(
      Number(m.get('erp_db_pool_connections')!.metrics.find((s) => s.labels.pool === 'app').value),
    ).toBeGreaterThan(0);

    const calls = m.get('erp_plugin_invocations_total')!.metrics;
    expect(calls).toContainEqual({
      labels: { plugin: 'gauged', version: '1.0.0', tenant: t.tenantId },
      value: '2',
    });
    expect(Number(m.get('erp_plugin_db_statements_total')!.metrics[0].value)).toBeGreaterThan(0);

    expect(m.get('erp_process_cpu_user_seconds_total')?.type).toBe('COUNTER');
    expect(m.get('erp_nodejs_eventloop_lag_p99_seconds')?.type).toBe('GAUGE');
  });

  it('shows the outbox growing while events wait for the bus', async () => {
    // The relay stops first: what it relays between the two scrapes would hide the new row.
    await k.container.cradle.events.stop(0);
    const before = families((await scrape(`Bearer ${TOKEN}`)).body);
    const outbox = (f: Map<string, Family>) =>
      Number(f.get('erp_queue_depth')!.metrics.find((s) => s.labels.queue === 'outbox').value);
    // An event written straight into the outbox the way a unit of work writes one, with the relay stopped.
    await k.container.cradle.db.owner.query(
      `insert into erp.event_outbox (tenant_id, subject, payload) values ($1, 'kernel.metrics.test', '{}')`,
      [t.tenantId],
    );
    const after = families((await scrape(`Bearer ${TOKEN}`)).body);
    expect(outbox(after)).toBe(outbox(before) + 1);
    const age = after.get('erp_queue_oldest_age_seconds')!.metrics.find((s) => s.labels.queue === 'outbox');
    expect(Number(age.value)).toBeGreaterThanOrEqual(0);
  });
});

describe('GET /metrics without ERP_METRICS_TOKEN', () => {
  it('does not exist', async () => {
    const k = await startTestKernel();
    try {
      const res = await k.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ERP_METRICS_DISABLED');
    } finally {
      await k.close();
    }
  });
});
