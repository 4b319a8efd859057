// SSRF through a real plugin route: ctx.http.fetch to a host the manifest declares still refuses
// loopback, by address and by a name that resolves to it, before any connection is made; the
// operator's ERP_OUTBOUND_ALLOW_PRIVATE opens exactly the ranges it names; an undeclared host is
// refused before anything else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_SIGNAL_CHANNEL } from '../src/signals/index.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

let server: Server;
let port = 0;
let connections = 0;
const folder = pluginFolder();

function writeFetcher(): void {
  writePluginVersion(folder.root, {
    id: 'fetcher',
    version: '1.0.0',
    pkg: (pkg) => {
      const erp = pkg.erp as { capabilities: string[] };
      erp.capabilities.push(`http:127.0.0.1:${port}`, `http:localhost:${port}`);
    },
    code: (src) =>
      src.replace(
        '  routes: {\n',
        `  routes: {
    'POST /fetch': route({
      permission: 'fetcher.items.read',
      body: { type: 'object', required: ['url'], additionalProperties: false, properties: { url: { type: 'string' } } },
      async handler(ctx, { body }) {
        const res = await ctx.http.fetch((body as { url: string }).url);
        return { status: res.status, body: res.body };
      },
    }),
`,
      ),
  });
}

async function kernelWithFetcher(env: Record<string, string> = {}) {
  const k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ...env });
  const t = await createTenant(k);
  const res = await k.app.inject({
    method: 'POST',
    url: '/api/v1/plugins/installations',
    headers: { authorization: t.auth },
    payload: { plugin: 'fetcher' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { k, t };
}

const fetchVia = (k: TestKernel, t: TestTenant, url: string) =>
  k.app.inject({
    method: 'POST',
    url: '/api/v1/p/fetcher/fetch',
    headers: { authorization: t.auth },
    payload: { url },
  });

describe('ctx.http.fetch from a plugin route', () => {
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('inside'));
    server.on('connection', () => connections++);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
    writeFetcher();
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    folder.cleanup();
  });

  describe('on the default policy (public addresses only)', () => {
    let k: TestKernel;
    let t: TestTenant;
    beforeAll(async () => {
      ({ k, t } = await kernelWithFetcher());
    });
    afterAll(async () => k?.close());

    it.each([
      ['a loopback address', () => `http://127.0.0.1:${port}/`],
      ['a name that resolves to loopback', () => `http://localhost:${port}/`],
    ])('refuses %s the manifest declares, before connecting', async (_what, url) => {
      const before = connections;
      const res = await fetchVia(k, t, url());
      expect(res.statusCode, res.body).toBe(500);
      expect(res.json().code).toBe('ERP_HTTP_ADDRESS_REFUSED');
      expect(connections).toBe(before);
    });

    it('audits refused calls as the plugin and its user, naming host and cause, never path or query; repeats coalesce', async () => {
      const own = await createTenant(k);
      const installed = await k.app.inject({
        method: 'POST',
        url: '/api/v1/plugins/installations',
        headers: { authorization: own.auth },
        payload: { plugin: 'fetcher' },
      });
      expect(installed.statusCode, installed.body).toBe(201);
      for (const url of [
        `http://127.0.0.1:${port}/private?token=s3cr3t-in-query`,
        `http://localhost:${port}/again`,
        `http://127.0.0.1:${port}/third`,
      ]) {
        expect((await fetchVia(k, own, url)).json().code).toBe('ERP_HTTP_ADDRESS_REFUSED');
      }
      const refusals = k.container.cradle.refusalAudit;
      await refusals.settled();
      const refused = async () =>
        (
          await k.superuser.query(
            `select actor_type, actor_id, actor_user_id, resource_id, change::jsonb as change from (
               select tenant_id, actor_type, actor_id, actor_user_id, resource_id, action, change, occurred_at from erp.audit_pending
               union all
               select tenant_id, actor_type, actor_id, actor_user_id, resource_id, action, change, occurred_at from erp.audit_entries) e
              where tenant_id = $1 and action = 'kernel.outbound.refused' order by occurred_at`,
            [own.tenantId],
          )
        ).rows;
      // Three refusals of one kind (plugin, user, cause): one entry now, the repeats as a count.
      expect(await refused()).toEqual([
        {
          actor_type: 'plugin',
          actor_id: 'fetcher',
          actor_user_id: own.adminId,
          resource_id: 'fetcher',
          change: {
            code: 'ERP_HTTP_ADDRESS_REFUSED',
            host: '127.0.0.1',
            address: '127.0.0.1',
            cause: 'a loopback address',
            entry: 'POST /fetch',
          },
        },
      ]);
      await refusals.flush();
      const all = await refused();
      expect(all).toHaveLength(2);
      expect(all[1].change).toMatchObject({ repeated: 2, cause: 'a loopback address' });
      const text = JSON.stringify(all);
      expect(text).not.toContain('s3cr3t');
      expect(text).not.toContain('/private');
    });

    it('lets a tenant admin allow a private range for its own plugins only, audited', async () => {
      const other = await createTenant(k);
      expect(
        (
          await k.app.inject({
            method: 'POST',
            url: '/api/v1/plugins/installations',
            headers: { authorization: other.auth },
            payload: { plugin: 'fetcher' },
          })
        ).statusCode,
      ).toBe(201);
      const put = (auth: string, payload: { allowPrivate: string[] }) =>
        k.app.inject({
          method: 'PUT',
          url: '/api/v1/tenant/outbound-policy',
          headers: { authorization: auth },
          payload,
        });

      const bad = await put(t.auth, { allowPrivate: ['127.0.0.0/8', 'not-a-range'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([
        { field: '/body/allowPrivate/1', message: '"not-a-range" is not an IP address or CIDR range' },
      ]);
      expect((await fetchVia(k, t, `http://127.0.0.1:${port}/`)).json().code).toBe(
        'ERP_HTTP_ADDRESS_REFUSED',
      );

      const ok = await put(t.auth, { allowPrivate: ['127.0.0.0/8'] });
      expect(ok.statusCode, ok.body).toBe(200);
      const got = await k.app.inject({
        method: 'GET',
        url: '/api/v1/tenant/outbound-policy',
        headers: { authorization: t.auth },
      });
      expect(got.json()).toEqual({ allowPrivate: ['127.0.0.0/8'] });
      const reached = await fetchVia(k, t, `http://127.0.0.1:${port}/`);
      expect(reached.statusCode, reached.body).toBe(200);
      expect(reached.json()).toEqual({ status: 200, body: 'inside' });

      const before = connections;
      const refused = await fetchVia(k, other, `http://127.0.0.1:${port}/`);
      expect(refused.json().code).toBe('ERP_HTTP_ADDRESS_REFUSED');
      expect(connections).toBe(before);

      const { rows } = await k.superuser.query(
        `select change from (select tenant_id, action, change from erp.audit_pending
                             union all select tenant_id, action, change from erp.audit_entries) e
          where tenant_id = $1 and action = 'kernel.outbound-policy.changed'`,
        [t.tenantId],
      );
      expect(rows.map((r) => (typeof r.change === 'string' ? JSON.parse(r.change) : r.change))).toEqual([
        { from: [], to: ['127.0.0.0/8'] },
      ]);
    });

    it('caches a tenant\u2019s allowance until a change is signalled, as another instance would', async () => {
      const own = await createTenant(k);
      const installed = await k.app.inject({
        method: 'POST',
        url: '/api/v1/plugins/installations',
        headers: { authorization: own.auth },
        payload: { plugin: 'fetcher' },
      });
      expect(installed.statusCode, installed.body).toBe(201);
      const url = `http://127.0.0.1:${port}/`;
      expect((await fetchVia(k, own, url)).json().code).toBe('ERP_HTTP_ADDRESS_REFUSED');
      // Written behind the kernel's back, without a signal: the cached allowance still applies
      // (no query per fetch).
      await k.superuser.query(
        `insert into erp.outbound_policies (tenant_id, allow_private) values ($1, '{127.0.0.0/8}')`,
        [own.tenantId],
      );
      expect((await fetchVia(k, own, url)).json().code).toBe('ERP_HTTP_ADDRESS_REFUSED');
      // What another instance's PUT sends at commit: every instance drops that tenant's allowance.
      await k.superuser.query('select pg_notify($1, $2)', [
        KERNEL_SIGNAL_CHANNEL,
        JSON.stringify({ type: 'outbound.changed', tenantId: own.tenantId }),
      ]);
      let res = await fetchVia(k, own, url);
      for (let i = 0; i < 100 && res.statusCode !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        res = await fetchVia(k, own, url);
      }
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ status: 200, body: 'inside' });
    });

    it('refuses a host the manifest does not declare', async () => {
      const res = await fetchVia(k, t, 'http://169.254.169.254/latest/meta-data/');
      expect(res.json().code).toBe('ERP_HTTP_HOST_UNDECLARED');
    });
  });

  describe('when the operator allows loopback', () => {
    let k: TestKernel;
    let t: TestTenant;
    beforeAll(async () => {
      ({ k, t } = await kernelWithFetcher({ ERP_OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8' }));
    });
    afterAll(async () => k?.close());

    it('reaches the declared loopback host', async () => {
      const res = await fetchVia(k, t, `http://127.0.0.1:${port}/`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ status: 200, body: 'inside' });
    });
  });
});
