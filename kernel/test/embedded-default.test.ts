// The embedded default: with no DATABASE_URL the kernel starts its own PostgreSQL in ERP_DATA_DIR,
// serves real HTTP, and keeps its data across a restart. Runs whatever DATABASE_URL the rest of
// the suite uses, because the configuration here is built without the environment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createTenantWithAdmin } from '../src/iam/index.js';
import { type RunningKernel, startKernel } from '../src/kernel.js';
import { ADMIN_PASSWORD, TEST_SECRET_KEY } from './support/harness.js';

describe('embedded default (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-test-embedded-'));
  let kernel: RunningKernel | undefined;
  afterAll(async () => {
    await kernel?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () =>
    startKernel(
      loadConfig({ ERP_DATA_DIR: dataDir, ERP_SECRET_KEY: TEST_SECRET_KEY, PORT: '0', LOG_LEVEL: 'silent' }),
      { listen: true },
    );
  const signIn = (url: string) =>
    fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'embedded', email: 'admin@embedded.test', password: ADMIN_PASSWORD }),
    });

  it('starts its own PostgreSQL, serves HTTP, and keeps the data across a restart', {
    timeout: 120_000,
  }, async () => {
    kernel = await start();
    expect(kernel.container.cradle.db.embedded).toBe(true);
    expect(kernel.container.cradle.config.DATABASE_URL).toBeUndefined();
    expect(kernel.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ready = await fetch(`${kernel.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    const created = await createTenantWithAdmin(kernel.container.cradle.db.owner, {
      slug: 'embedded',
      name: 'Embedded',
      adminEmail: 'admin@embedded.test',
      adminPassword: ADMIN_PASSWORD,
    });
    const first = await signIn(kernel.url);
    expect(first.status).toBe(200);
    const { accessToken } = (await first.json()) as { accessToken: string };
    const me = await fetch(`${kernel.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(((await me.json()) as { tenantId: string }).tenantId).toBe(created.tenantId);
    await kernel.stop();
    kernel = undefined;

    // Same data folder, a new process-worth of kernel: the tenant, the user and the session survive.
    kernel = await start();
    expect((await fetch(`${kernel.url}/health/ready`)).status).toBe(200);
    const again = await fetch(`${kernel.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(again.status).toBe(200);
    expect((await signIn(kernel.url)).status).toBe(200);
  });
});
