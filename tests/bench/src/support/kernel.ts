// A real kernel for a bench: startKernel in a child process on a free port, on a scratch database,
// tuned only where a benchmark must be (rate limits out of the way, quiet logs), plus a tenant
// with a logged-in administrator.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantWithAdmin } from '@erp/kernel';
import pg from 'pg';
import { type ChildServer, startChildServer } from './child.js';

// Role DDL is cluster-wide: the kernel sets its app role's password from ERP_SECRET_KEY. Benches use
// a role and a key of their own so they never change the password of the role tests (or a running
// `erp start`) log in with on a shared server, and concurrent benches agree with each other.
export const BENCH_SECRET_KEY = 'erp-bench-secret-key-shared-by-all-bench-runs-0001';
export const BENCH_APP_ROLE = 'erp_bench_app';
export const ADMIN_PASSWORD = 'Bench-Horse-42-battery-staple';

export interface BenchKernel extends ChildServer {
  tenantId: string;
  adminId: string;
  /** Authorization header value of the administrator's session. */
  auth: string;
}

export async function startBenchKernel(
  databaseUrl: string,
  opts: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<BenchKernel> {
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-bench-data-'));
  // An empty plugin catalogue: the bench measures the kernel, whatever plugins the repository has.
  const pluginDir = join(dataDir, 'plugins');
  mkdirSync(pluginDir);
  let server: ChildServer;
  try {
    server = await startChildServer(new URL('../servers/kernel-server.ts', import.meta.url), {
      env: {
        DATABASE_URL: databaseUrl,
        ERP_DATA_DIR: dataDir,
        ERP_SECRET_KEY: BENCH_SECRET_KEY,
        ERP_DB_APP_ROLE: BENCH_APP_ROLE,
        ERP_DB_POOL_SIZE: '10',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: '0',
        ERP_RATE_LIMIT_USER: '1000000000',
        ERP_RATE_LIMIT_TENANT: '1000000000',
        ERP_ACCESS_TOKEN_TTL: '3600',
        ERP_PLUGIN_PATH: pluginDir,
        ...opts.env,
      },
      nodeArgs: opts.nodeArgs,
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  try {
    const owner = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const slug = 'bench';
    const adminEmail = 'admin@bench.test';
    let created: { tenantId: string; userId: string };
    try {
      created = await createTenantWithAdmin(owner, {
        slug,
        name: 'Bench',
        adminEmail,
        adminPassword: ADMIN_PASSWORD,
      });
    } finally {
      await owner.end();
    }
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: slug, email: adminEmail, password: ADMIN_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
    const { accessToken } = (await res.json()) as { accessToken: string };
    return {
      ...server,
      tenantId: created.tenantId,
      adminId: created.userId,
      auth: `Bearer ${accessToken}`,
      async stop() {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
