// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// A kernel listening on a real port with several tenants, for what createPluginTestKit does not
// cover: isolation between tenants on one database, checks below the API, and web components in
// a browser.
// Built like the kit: @erp/kernel loaded by name at run time, the plugins on ERP_PLUGIN_PATH,
// embedded PostgreSQL unless DATABASE_URL is set, and installs through the admin API.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestClient, TestResponse } from './client.js';
import { createDatabase } from './database.js';

export interface Tenant {
  id: string;
  slug: string;
  token: string;
  /** Absolute paths on the kernel. */
  api: TestClient;
  /** Paths relative to /api/v1/p/<plugin id>. */
  plugin(id: string): TestClient;
}

export interface PluginKernel {
  url: string;
  tenants: Tenant[];
  /** The kernel's owner pool: for checks below the API (grants, triggers). */
  owner: { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>; connect(): Promise<any> };
  close(): Promise<void>;
}

const PASSWORD = 'Plugin-test-Passw0rd!';

/** A client for `base` with a bearer token (e.g. for tenants a vitest globalSetup logged in). */
export function clientFor(base: string, token: string): TestClient {
  const call =
    (method: string) =>
    async (path: string, body?: unknown): Promise<TestResponse> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      return { status: res.status, json, headers: Object.fromEntries(res.headers) };
    };
  return {
    get: call('GET'),
    post: call('POST'),
    put: call('PUT'),
    patch: call('PATCH'),
    delete: call('DELETE'),
  };
}

export async function startPluginKernel(opts: {
  pluginDirs: string[];
  tenants: number;
  install: string[];
}): Promise<PluginKernel> {
  const kernelModule = '@erp/kernel';
  const k = await import(kernelModule);
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-plugin-kernel-'));
  // On a server (DATABASE_URL) each run gets a database of its own, dropped at close.
  const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  const config = k.loadConfig({
    ...(database ? { DATABASE_URL: database.url } : {}),
    ERP_DATA_DIR: dataDir,
    ERP_PLUGIN_PATH: opts.pluginDirs.join(':'),
    ERP_SECRET_KEY: process.env.ERP_SECRET_KEY ?? 'plugin-test-kit-secret-key-0123456789abcdef',
    ERP_BUS_POLL_MS: '100',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const kernel = await k.startKernel(config, { listen: true });
  const close = async () => {
    await kernel.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const owner = kernel.container.cradle.db.owner;
    const tenants: Tenant[] = [];
    for (let i = 0; i < opts.tenants; i++) {
      const slug = `t${i}-${randomBytes(4).toString('hex')}`;
      const email = `admin@${slug}.test`;
      const { tenantId } = await k.createTenantWithAdmin(owner, {
        slug,
        name: `Tenant ${slug}`,
        adminEmail: email,
        adminPassword: PASSWORD,
      });
      const login = await fetch(`${kernel.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: slug, email, password: PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`login failed: ${await login.text()}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const api = clientFor(kernel.url, accessToken);
      for (const plugin of opts.install) {
        const res = await api.post('/api/v1/plugins/installations', { plugin });
        if (res.status !== 201) throw new Error(`installing ${plugin} failed: ${JSON.stringify(res.json)}`);
      }
      tenants.push({
        id: tenantId,
        slug,
        token: accessToken,
        api,
        plugin: (id) => clientFor(`${kernel.url}/api/v1/p/${id}`, accessToken),
      });
    }
    return { url: kernel.url, tenants, owner, close };
  } catch (err) {
    await close();
    throw err;
  }
}
