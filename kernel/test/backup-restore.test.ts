// erp backup and erp restore against a real PostgreSQL server with its own pg_dump/pg_restore: a
// running kernel's tenant, plugin data and audit chain come back in an empty database and data
// folder, and a kernel started on them serves the same data; a damaged backup is refused before
// anything is written; a backup whose audit entries were altered restores but fails verification.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backup, restore } from '../src/backup/index.js';
import { pgTool } from '../src/backup/pg-tools.js';
import { loadConfig } from '../src/config/index.js';
import {
  ADMIN_PASSWORD,
  createTenant,
  createTestDatabase,
  dropTestDatabase,
  startTestKernel,
  TEST_SECRET_KEY,
  type TestKernel,
  type TestTenant,
} from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const cluster = inject('clusterUrl');
const major = await (async () => {
  const c = new pg.Client({ connectionString: cluster });
  await c.connect();
  const { rows } = await c.query<{ v: string }>(`select current_setting('server_version_num') as v`);
  await c.end();
  return Math.floor(Number(rows[0]!.v) / 10000);
})();
// The embedded cluster ships no pg_dump: there the suite runs on the server pass only.
const tools = await Promise.all([
  pgTool('pg_dump', major, undefined),
  pgTool('pg_restore', major, undefined),
]).catch(() => null);

const folder = pluginFolder();
// Removed even when the suite is skipped (its afterAll would not run).
afterAll(() => folder.cleanup());
writePluginVersion(folder.root, { id: 'kept', version: '1.0.0' });
const temp = (p: string) => mkdtempSync(join(tmpdir(), p));

describe.skipIf(!tools)(`erp backup and restore (skipped: no pg_dump ${major} here)`, () => {
  let source: TestKernel;
  let t: TestTenant;
  const dirs: string[] = [];
  const dbs: string[] = [];
  const configFor = (databaseUrl: string, dataDir: string) =>
    loadConfig({
      DATABASE_URL: databaseUrl,
      ERP_DATA_DIR: dataDir,
      ERP_SECRET_KEY: TEST_SECRET_KEY,
      LOG_LEVEL: 'silent',
    });
  const sourceConfig = () => source.container.cradle.config;

  beforeAll(async () => {
    source = await startTestKernel({ ERP_PLUGIN_PATH: folder.root });
    t = await createTenant(source);
    const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
      source.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });
    expect((await api('POST', '/api/v1/plugins/installations', { plugin: 'kept' })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/p/kept/items', { name: 'kept across a restore' })).statusCode).toBe(
      201,
    );
    await source.container.cradle.auditSealer.flush();
  });
  afterAll(async () => {
    await source?.close();
    for (const db of dbs) await dropTestDatabase(db);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('restores a running kernel\u2019s backup into an empty database and folder, and serves it', async () => {
    const out = temp('erp-backup-');
    dirs.push(out);
    rmSync(out, { recursive: true });
    await backup(sourceConfig(), out);
    expect(readdirSync(out).sort()).toEqual(['data', 'database', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'erp-backup/1', tenants: 1 });
    expect(manifest.roles).toEqual(expect.arrayContaining(['erp_kernel_app', 'erp_kernel_worker']));
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['data/secrets.json', 'database/toc.dat']),
    );

    const target = await createTestDatabase();
    dbs.push(target);
    const dataDir = temp('erp-restored-');
    dirs.push(dataDir);
    await restore(configFor(target, dataDir), out);

    const restored = await startTestKernel({
      DATABASE_URL: target,
      ERP_DATA_DIR: dataDir,
      ERP_PLUGIN_PATH: folder.root,
    });
    try {
      const login = await restored.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: t.slug, email: t.adminEmail, password: ADMIN_PASSWORD },
      });
      expect(login.statusCode, login.body).toBe(200);
      const auth = `Bearer ${login.json().accessToken}`;
      const items = await restored.app.inject({
        method: 'GET',
        url: '/api/v1/p/kept/items',
        headers: { authorization: auth },
      });
      expect(items.statusCode, items.body).toBe(200);
      expect(items.json().items.map((i: { name: string }) => i.name)).toEqual(['kept across a restore']);
      expect((await restored.container.cradle.audit.verify(t.tenantId)).valid).toBe(true);
    } finally {
      await restored.close();
    }
  });

  it('refuses a damaged backup, a database that is not empty and a used folder, changing nothing', async () => {
    const out = temp('erp-backup-');
    dirs.push(out);
    rmSync(out, { recursive: true });
    await backup(sourceConfig(), out);
    await expect(backup(sourceConfig(), out)).rejects.toThrow(/is not empty: back up into a new folder/);
    const secrets = join(out, 'data', 'secrets.json');
    const original = readFileSync(secrets);
    writeFileSync(secrets, Buffer.concat([original, Buffer.from(' ')]));
    const dataDir = temp('erp-restored-');
    dirs.push(dataDir);
    const target = await createTestDatabase();
    dbs.push(target);
    await expect(restore(configFor(target, dataDir), out)).rejects.toThrow(
      'data/secrets.json differs from the manifest',
    );
    expect(readdirSync(dataDir)).toEqual([]);
    writeFileSync(secrets, original);
    // The source's own database is not empty.
    await expect(restore(configFor(source.databaseUrl, dataDir), out)).rejects.toThrow(
      /already holds an ERP database/,
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('fails the restore when the backup\u2019s audit chain was altered', async () => {
    // An entry rewritten with the protecting triggers off, as only a superuser could.
    await source.superuser.query(`
      begin;
      set local session_replication_role = replica;
      update erp.audit_entries set action = 'iam.nothing.happened' where tenant_id = '${t.tenantId}' and seq = 1;
      commit;`);
    const out = temp('erp-backup-');
    dirs.push(out);
    rmSync(out, { recursive: true });
    await backup(sourceConfig(), out);
    const target = await createTestDatabase();
    dbs.push(target);
    const dataDir = temp('erp-restored-');
    dirs.push(dataDir);
    await expect(restore(configFor(target, dataDir), out)).rejects.toThrow(
      new RegExp(`audit chains do not verify: ${t.slug} \\(first bad seq 1\\)`),
    );
  });
});
