// Hot and per tenant: under continuous load on tenant B, tenant A installs, upgrades, rolls back
// and disables a plugin on one kernel instance. B sees zero failed requests, nobody sees a 5xx,
// and a second instance on the same database follows each of A's changes (the lag is printed).
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestDatabase,
  startTestKernel,
  type TestKernel,
  type TestTenant,
} from './support/harness.js';
import { pluginFolder, withVersionRoute, writePluginVersion } from './support/plugins.js';

const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'hot', version: '1.0.0', code: withVersionRoute('hot', '1.0.0') });
writePluginVersion(folder.root, {
  id: 'hot',
  version: '1.1.0',
  code: withVersionRoute('hot', '1.1.0'),
  files: { 'migrations/0002_more.sql': 'alter table items add column note text;\n' },
});

describe('hot install under load, followed by a second instance', () => {
  let k1: TestKernel;
  let k2: TestKernel;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    const DATABASE_URL = await createTestDatabase();
    const env = {
      DATABASE_URL,
      ERP_PLUGIN_PATH: folder.root,
      ERP_RATE_LIMIT_USER: '1000000',
      ERP_RATE_LIMIT_TENANT: '1000000',
    };
    k1 = await startTestKernel(env, { listen: true });
    k2 = await startTestKernel(env, { listen: true });
    a = await createTenant(k1);
    b = await createTenant(k1);
    const res = await k1.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/installations',
      headers: { authorization: b.auth },
      payload: { plugin: 'hot', version: '1.0.0' },
    });
    expect(res.statusCode).toBe(201);
  });
  afterAll(async () => {
    await k2?.close();
    await k1?.close();
    folder.cleanup();
  });

  /** Milliseconds until instance 2 answers A's GET /version with `expected` (404 when undefined). */
  async function followed(expected: string | undefined): Promise<number> {
    const started = Date.now();
    for (;;) {
      const res = await k2.app.inject({
        method: 'GET',
        url: '/api/v1/p/hot/version',
        headers: { authorization: a.auth },
      });
      const ok =
        expected === undefined
          ? res.statusCode === 404
          : res.statusCode === 200 && res.json().version === expected;
      if (ok) return Date.now() - started;
      if (Date.now() - started > 5000)
        throw new Error(`instance 2 did not follow to ${expected ?? 'disabled'}: ${res.body}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('changes A without disturbing B, and instance 2 follows', async () => {
    const load = autocannon({
      url: `${k1.url}/api/v1/p/hot/items`,
      connections: 16,
      duration: 8,
      headers: { authorization: b.auth },
    });
    const steps: Array<[string, string, object | undefined, string | undefined]> = [
      ['install', '/api/v1/plugins/installations', { plugin: 'hot', version: '1.0.0' }, '1.0.0'],
      ['upgrade', '/api/v1/plugins/installations/hot/upgrade', { version: '1.1.0' }, '1.1.0'],
      ['rollback', '/api/v1/plugins/installations/hot/rollback', undefined, '1.0.0'],
      ['disable', '/api/v1/plugins/installations/hot/disable', undefined, undefined],
    ];
    const lags: Record<string, number> = {};
    await new Promise((r) => setTimeout(r, 1000));
    for (const [name, url, payload, version] of steps) {
      const res = await k1.app.inject({
        method: 'POST',
        url,
        headers: { authorization: a.auth },
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(300);
      lags[name] = await followed(version);
      await new Promise((r) => setTimeout(r, 800));
    }
    const result = await load;
    console.log(
      `hot-install under load: ${result.requests.total} requests to tenant B, ${result.non2xx} non-2xx, ${result.errors} errors, ` +
        `p99 ${result.latency.p99} ms; instance-2 lag (ms): ${JSON.stringify(lags)}`,
    );
    expect(result.requests.total).toBeGreaterThan(100);
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    // How fast instance 2 follows is reported above, not asserted (shared, noisy machines); that it
    // follows at all is checked by followed(), which gives up after 5 s.
  });
});
