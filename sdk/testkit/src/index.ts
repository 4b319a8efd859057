// The plugin test harness: a real kernel (embedded PostgreSQL, or the server at DATABASE_URL) with
// the plugin under test on its plugin path, a fresh tenant with an administrator, the plugin
// installed through the same admin API tenants use, and an authenticated client for its routes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TestClient, TestResponse } from './client.js';
import { createDatabase } from './database.js';

export type { TestClient, TestResponse };
export interface TenantSession {
  tenantId: string;
  /** Calls the plugin's routes (paths relative to /api/v1/p/<id>) as the tenant's administrator. */
  client: TestClient;
  /** Calls any kernel route (absolute paths) as the tenant's administrator. */
  api: TestClient;
}

export interface PluginTestKit {
  pluginId: string;
  /** Where the kernel runs the plugin's code. */
  runtime: PluginRuntime;
  tenantId: string;
  /** Calls the plugin's routes (paths relative to /api/v1/p/<id>) as the tenant's administrator. */
  client: TestClient;
  /** Calls any kernel route (absolute paths) as the tenant's administrator. */
  api: TestClient;
  /** Polls until the check passes (events and jobs are delivered after commit), or throws. */
  waitFor(check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /**
   * Another tenant with its own administrator on the same kernel and database, for isolation
   * tests; the plugin is installed for it unless `install` is false.
   */
  addTenant(opts?: { install?: boolean }): Promise<TenantSession>;
  /** Serves the kernel over HTTP on 127.0.0.1 (for browser tests) and returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface PluginTestKitOptions {
  /** The plugin's folder (the one with package.json). */
  pluginDir: string | URL;
  /** Extra folders of plugins it depends on. */
  pluginPath?: string[];
  /** Install the plugin for the test tenant (default true). */
  install?: boolean;
  /**
   * Where the kernel runs the plugin's code: 'sandbox' (isolated-vm, as third-party plugins run)
   * or 'in-process' (first-party only). Default: ERP_TEST_RUNTIME if set, else what the manifest's
   * trust gives. The same suite passing in both is how a plugin shows it does not depend on either.
   */
  runtime?: PluginRuntime;
}

export type PluginRuntime = 'in-process' | 'sandbox';

/** The runtime a kit runs a plugin in, and the kernel setting that gives it. */
export function resolveRuntime(
  requested: PluginRuntime | undefined,
  trust: string | undefined,
): { runtime: PluginRuntime; setting: 'by-trust' | 'sandbox' } {
  const fromEnv = process.env.ERP_TEST_RUNTIME;
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'in-process' && fromEnv !== 'sandbox')
    throw new Error(`ERP_TEST_RUNTIME must be in-process or sandbox, not ${fromEnv}`);
  const wanted = requested ?? ((fromEnv || undefined) as PluginRuntime | undefined);
  const byTrust: PluginRuntime = trust === 'first-party' ? 'in-process' : 'sandbox';
  if (wanted === 'in-process' && byTrust === 'sandbox')
    throw new Error('runtime: a third-party plugin runs only in the sandbox (its manifest says so)');
  const runtime = wanted ?? byTrust;
  return { runtime, setting: runtime === 'sandbox' ? 'sandbox' : 'by-trust' };
}

const PASSWORD = 'Plugin-test-Passw0rd!';

export { CHROMIUM, hasChromium, launch, mount } from './browser.js';
export { clientFor, type PluginKernel, startPluginKernel, type Tenant } from './kernel.js';

/** The part of @erp/kernel the harness uses. */
interface KernelApi {
  loadConfig(env: Record<string, string>): unknown;
  startKernel(
    config: unknown,
    opts: { listen: boolean },
  ): Promise<{
    app: {
      inject(req: {
        method: string;
        url: string;
        headers?: Record<string, string>;
        payload?: object;
      }): Promise<{
        statusCode: number;
        body: string;
        headers: Record<string, string | string[] | number | undefined>;
        json(): { accessToken: string };
      }>;
      listen(opts: { port: number; host: string }): Promise<string>;
    };
    container: { cradle: { db: { owner: unknown } } };
    stop(): Promise<void>;
  }>;
  createTenantWithAdmin(
    owner: unknown,
    input: { slug: string; name: string; adminEmail: string; adminPassword: string },
  ): Promise<{ tenantId: string }>;
}

let typeScriptLoader: Promise<unknown> | undefined;

/**
 * A plugin under test usually has a TypeScript entry (src/index.ts); the kernel installed from npm
 * is compiled JavaScript and Node cannot import .ts by itself, so the kit registers tsx's loader
 * (as `erp-plugin build` does) once per process. Inside the workspace vitest already transforms it.
 */
function loadTypeScriptEntries(pkg: { erp?: { entry?: string } }): Promise<unknown> | undefined {
  const installed = import.meta.url.endsWith('.js'); // the kit itself runs compiled: not the workspace
  if (!installed || !pkg.erp?.entry?.endsWith('.ts')) return undefined;
  typeScriptLoader ??= import('tsx/esm/api').then(({ register }) => register());
  return typeScriptLoader;
}

export async function createPluginTestKit(opts: PluginTestKitOptions): Promise<PluginTestKit> {
  // Loaded by name at run time so a plugin's type-check does not pull in the kernel's sources.
  const kernelModule = '@erp/kernel';
  const { startKernel, loadConfig, createTenantWithAdmin } = (await import(kernelModule)) as KernelApi;
  const pluginDir = typeof opts.pluginDir === 'string' ? opts.pluginDir : fileURLToPath(opts.pluginDir);
  const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
  const { runtime, setting } = resolveRuntime(opts.runtime, pkg.erp?.trust);
  await loadTypeScriptEntries(pkg);
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-plugin-test-'));
  // On a server (DATABASE_URL), each kit gets a database of its own, dropped at close.
  const database = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  // On NATS, its own namespace (streams and durable consumers), dropped at close: kits sharing one
  // would take each other's events, for tenants their databases do not have.
  const natsUrl = process.env.NATS_URL;
  const namespace = natsUrl ? `kit${randomBytes(5).toString('hex')}` : undefined;
  const dropAll = async () => {
    await database?.drop();
    if (natsUrl && namespace) await dropNamespace(natsUrl, namespace, kernelModule);
  };
  const config = loadConfig({
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(natsUrl ? { NATS_URL: natsUrl, ERP_NATS_NAMESPACE: namespace } : {}),
    ERP_DATA_DIR: dataDir,
    ERP_PLUGIN_PATH: [pluginDir, ...(opts.pluginPath ?? [])].join(':'),
    ERP_SECRET_KEY: process.env.ERP_SECRET_KEY ?? 'plugin-test-kit-secret-key-0123456789abcdef',
    ERP_BUS_POLL_MS: '100',
    ERP_PLUGIN_RUNTIME: setting,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
  });
  const kernel = await startKernel(config, { listen: false });
  const call =
    (prefix: string, authorization: string) =>
    (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') =>
    async (path: string, body?: unknown): Promise<TestResponse> => {
      const res = await kernel.app.inject({
        method,
        url: `${prefix}${path}`,
        headers: { authorization },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      let json: unknown = null;
      try {
        json = res.body ? JSON.parse(res.body) : null;
      } catch {
        json = res.body;
      }
      return { status: res.statusCode, json, headers: res.headers };
    };
  const client = (prefix: string, authorization: string): TestClient => {
    const m = call(prefix, authorization);
    return { get: m('GET'), post: m('POST'), put: m('PUT'), patch: m('PATCH'), delete: m('DELETE') };
  };
  const pluginId: string = pkg.erp?.id;
  const newTenant = async (install: boolean): Promise<TenantSession> => {
    const slug = `test-${randomBytes(4).toString('hex')}`;
    const email = `admin@${slug}.test`;
    const created = await createTenantWithAdmin(kernel.container.cradle.db.owner, {
      slug,
      name: `Plugin test ${slug}`,
      adminEmail: email,
      adminPassword: PASSWORD,
    });
    const login = await kernel.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: slug, email, password: PASSWORD },
    });
    if (login.statusCode !== 200) throw new Error(`test login failed: ${login.body}`);
    const authorization = `Bearer ${login.json().accessToken}`;
    const api = client('', authorization);
    if (install) {
      const res = await api.post('/api/v1/plugins/installations', { plugin: pkg.name, version: pkg.version });
      if (res.status !== 201)
        throw new Error(`installing ${pkg.name}@${pkg.version} failed: ${JSON.stringify(res.json)}`);
    }
    return { tenantId: created.tenantId, client: client(`/api/v1/p/${pluginId}`, authorization), api };
  };
  let url: string | undefined;
  try {
    const first = await newTenant(opts.install !== false);
    return {
      pluginId,
      runtime,
      tenantId: first.tenantId,
      client: first.client,
      api: first.api,
      addTenant: (o = {}) => newTenant(o.install !== false),
      async listen() {
        url ??= await kernel.app.listen({ port: 0, host: '127.0.0.1' });
        return url;
      },
      async waitFor(check, timeoutMs = 10_000) {
        const until = Date.now() + timeoutMs;
        for (;;) {
          if (await check()) return;
          if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async close() {
        await kernel.stop();
        await dropAll();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await kernel.stop();
    await dropAll();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Deletes a kit's JetStream streams (and with them its consumers), with the NATS client the
 * kernel itself uses (the kit needs NATS only when it runs a kernel). Best effort.
 */
async function dropNamespace(url: string, namespace: string, kernelModule: string): Promise<void> {
  try {
    // From the kernel's package.json: exported in the workspace and once published alike.
    const fromKernel = createRequire(createRequire(import.meta.url).resolve(`${kernelModule}/package.json`));
    const load = (m: string) => import(pathToFileURL(fromKernel.resolve(m)).href);
    const { connect } = await load('@nats-io/transport-node');
    const { jetstreamManager } = await load('@nats-io/jetstream');
    const nc = await connect({ servers: url, timeout: 5000 });
    try {
      const jsm = await jetstreamManager(nc);
      for (const stream of [`${namespace}_events`, `${namespace}_dead_letters`])
        await jsm.streams.delete(stream).catch(() => {});
    } finally {
      await nc.close();
    }
  } catch {
    // The streams stay behind; they hold only this kit's events.
  }
}
