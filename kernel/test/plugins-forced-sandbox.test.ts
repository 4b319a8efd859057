// ERP_PLUGIN_RUNTIME=sandbox sends every plugin to the sandbox, first-party ones included, and for
// every step: the install hook as well as the routes (the lifecycle and the version cache ask the
// runners which runtime a version gets, as dispatch does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const folder = pluginFolder();
// The hook and a route record where they ran: Node's `process` exists in-process, not in an isolate.
const where = "typeof (globalThis as { process?: unknown }).process === 'undefined' ? 'isolate' : 'node'";
writePluginVersion(folder.root, {
  id: 'forced',
  version: '1.0.0',
  code: (src) =>
    src.replace(
      '  routes: {\n',
      `  hooks: {
    async install(ctx) {
      await ctx.db.query('insert into items (tenant_id, name) values ($1, $2)', [ctx.tenant.id, ${where}]);
    },
  },
  routes: {
    'GET /where': route({
      permission: 'forced.items.read',
      async handler() {
        return { where: ${where} };
      },
    }),
`,
    ),
});

describe('a kernel that forces the sandbox', () => {
  let k: TestKernel;
  let t: TestTenant;
  const get = (url: string) => k.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ERP_PLUGIN_RUNTIME: 'sandbox' });
    t = await createTenant(k);
    const res = await k.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/installations',
      headers: { authorization: t.auth },
      payload: { plugin: 'forced' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('runs a first-party plugin\u2019s routes and its install hook in the isolate', async () => {
    const route = await get('/api/v1/p/forced/where');
    expect(route.statusCode, route.body).toBe(200);
    expect(route.json()).toEqual({ where: 'isolate' });
    const items = await get('/api/v1/p/forced/items');
    expect(items.statusCode, items.body).toBe(200);
    expect(items.json().items.map((i: { name: string }) => i.name)).toEqual(['isolate']);
  });
});
