// Starts a real kernel for a test file: its own database on the run's cluster, its own data folder,
// no listening socket unless asked (requests go through fastify's inject).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createTenantWithAdmin } from '../../src/iam/index.js';
import { type RunningKernel, startKernel } from '../../src/kernel.js';

/** Shared by every kernel of the run: roles are cluster-wide, so their passwords must agree. */
export const TEST_SECRET_KEY = 'test-secret-key-shared-by-the-whole-run-0001';
export const ADMIN_PASSWORD = 'Correct-Horse-42-battery';

export interface TestKernel extends RunningKernel {
  databaseUrl: string;
  clusterKind: 'server' | 'embedded';
  /** A superuser pool on the test database, for assertions and tampering. */
  superuser: pg.Pool;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<string> {
  const cluster = inject('clusterUrl');
  const name = `erp_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: cluster });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(cluster);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops a database made by createTestDatabase (the server keeps no test debris). */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^erp_t_[0-9a-f]{12}$/.test(name)) return;
  const admin = new pg.Client({ connectionString: inject('clusterUrl') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

export async function startTestKernel(
  env: Record<string, string> = {},
  opts: { listen?: boolean; logStream?: DestinationStream } = {},
): Promise<TestKernel> {
  const ownDatabase = env.DATABASE_URL === undefined;
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-test-data-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PORT: '0',
    ERP_SECRET_KEY: TEST_SECRET_KEY,
    ERP_DATA_DIR: dataDir,
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const kernel = await startKernel(config, { listen: opts.listen ?? false, logStream: opts.logStream });
  const superuser = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    ...kernel,
    databaseUrl,
    clusterKind: inject('clusterKind'),
    superuser,
    async close() {
      await superuser.end();
      await kernel.stop();
      if (ownDatabase) await dropTestDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestTenant {
  tenantId: string;
  slug: string;
  adminId: string;
  adminEmail: string;
  /** Authorization header value of a fresh admin session. */
  auth: string;
  refreshToken: string;
}

export async function createTenant(
  k: TestKernel,
  slug = `t-${randomBytes(4).toString('hex')}`,
): Promise<TestTenant> {
  const adminEmail = `admin@${slug}.test`;
  const r = await createTenantWithAdmin(k.container.cradle.db.owner, {
    slug,
    name: `Tenant ${slug}`,
    adminEmail,
    adminPassword: ADMIN_PASSWORD,
  });
  const login = await k.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { tenant: slug, email: adminEmail, password: ADMIN_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const tokens = login.json();
  return {
    tenantId: r.tenantId,
    slug,
    adminId: r.userId,
    adminEmail,
    auth: `Bearer ${tokens.accessToken}`,
    refreshToken: tokens.refreshToken,
  };
}
