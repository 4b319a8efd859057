// The runner around every plugin call: an unexpected failure reaches the client as a 500 with a
// stable code and no stack, a PluginProblem keeps its status and code, both are counted per
// version, and a version whose manifest stops being first-party is served from the sandbox.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/bus-env.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const folder = pluginFolder();
const dir = writePluginVersion(folder.root, {
  id: 'faulty',
  version: '1.0.0',
  code: (src) =>
    src.replace(
      '  routes: {\n',
      `  routes: {
    'GET /crash': route({
      permission: 'faulty.items.read',
      async handler() {
        throw new Error('internal detail /srv/secret.ts');
      },
    }),
    'GET /refuse': route({
      permission: 'faulty.items.read',
      async handler() {
        throw new PluginProblem(409, 'FAULTY_BUSY', 'Busy', 'try later');
      },
    }),
`,
    ),
});

describe('the plugin runner', () => {
  let k: TestKernel;
  let t: TestTenant;
  const get = (url: string) => k.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root });
    t = await createTenant(k);
    const res = await k.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/installations',
      headers: { authorization: t.auth },
      payload: { plugin: 'faulty' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('answers an unexpected failure with a stable code and no stack', async () => {
    const res = await get('/api/v1/p/faulty/crash');
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('ERP_PLUGIN_FAILED');
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('keeps a PluginProblem\u2019s status and code', async () => {
    const res = await get('/api/v1/p/faulty/refuse');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'FAULTY_BUSY', detail: 'try later' });
  });

  it('counts calls and unexpected failures per version, for the tenant\u2019s administrators', async () => {
    await get('/api/v1/p/faulty/items');
    const res = await get('/api/v1/plugins/usage');
    expect(res.statusCode).toBe(200);
    const [u] = res.json().usage;
    expect(u).toMatchObject({ plugin: 'faulty', version: '1.0.0', invocations: 3, failures: 1 });
    expect(u.dbStatements).toBeGreaterThanOrEqual(2);
  });

  it('serves a version whose manifest is no longer first-party from the sandbox', async () => {
    const file = join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    pkg.erp.trust = 'third-party';
    writeFileSync(file, JSON.stringify(pkg, null, 2));
    await waitFor(async () => {
      await get('/api/v1/p/faulty/items');
      const usage = (await get('/api/v1/plugins/usage')).json().usage;
      return usage[0]?.runtime === 'sandbox' ? true : undefined;
    }, 'the catalogue to see the new trust');
    const res = await get('/api/v1/p/faulty/refuse');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'FAULTY_BUSY', detail: 'try later' });
    const crash = await get('/api/v1/p/faulty/crash');
    expect(crash.statusCode).toBe(500);
    expect(crash.json().code).toBe('ERP_PLUGIN_FAILED');
    expect(crash.body).not.toContain('secret');
  });
});
