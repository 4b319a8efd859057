// A managed database (RDS, Cloud SQL, Azure) gives the kernel an owner role that is not a
// superuser: it may create roles and databases but not bypass row-level security or revoke on
// pg_catalog functions. The kernel migrates, serves, installs a plugin and seals its audit chain
// there too; the sweep that seals what an instance left behind finds the entries (migration 0016).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'managed', version: '1.0.0' });

describe('a kernel whose owner role is not a superuser', () => {
  const cluster = inject('clusterUrl');
  const suffix = randomBytes(5).toString('hex');
  const owner = `erp_owner_${suffix}`;
  const database = `erp_mo_${suffix}`;
  const password = randomBytes(12).toString('hex');
  const appRole = `erp_app_${suffix}`;
  let k: TestKernel;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: cluster });
    await admin.connect();
    await admin.query(`create role ${owner} login nosuperuser createrole createdb password '${password}'`);
    await admin.query(`create database ${database} owner ${owner}`);
    // This cluster is shared with the other suites, whose superuser kernels created the kernel's
    // fixed roles before. A managed database's owner creates them itself, and so administers them
    // (PostgreSQL 16 and later let a CREATEROLE role alter only the roles it administers): the
    // test owner is given that, and an app login of its own.
    for (const role of ['erp_kernel_app', 'erp_kernel_worker', 'erp_pm_managed'])
      await admin.query(
        `do $$ begin if exists (select 1 from pg_roles where rolname = '${role}') then
           execute 'grant ${role} to ${owner} with admin option'; end if; end $$`,
      );
    const url = new URL(cluster);
    url.username = owner;
    url.password = password;
    url.pathname = `/${database}`;
    // The sealer does not run: what the sweep finds is what gets sealed.
    k = await startTestKernel({
      DATABASE_URL: url.toString(),
      ERP_DB_APP_ROLE: appRole,
      ERP_PLUGIN_PATH: folder.root,
      ERP_BACKGROUND: 'false',
    });
  });
  afterAll(async () => {
    await k?.close();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`drop owned by ${owner} cascade`).catch(() => {});
    await admin.query(`drop role if exists ${appRole}`).catch(() => {});
    await admin.query(`drop role if exists ${owner}`).catch(() => {});
    await admin.end();
    folder.cleanup();
  });

  it('migrates as that role, and is no superuser', async () => {
    const { rows } = await k.container.cradle.db.owner.query(
      'select rolsuper, rolbypassrls from pg_roles where rolname = current_user',
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('serves a tenant, installs a plugin, and seals entries no instance sealed', async () => {
    const t = await createTenant(k);
    const install = await k.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/installations',
      headers: { authorization: t.auth },
      payload: { plugin: 'managed' },
    });
    expect(install.statusCode, install.body).toBe(201);
    const created = await k.app.inject({
      method: 'POST',
      url: '/api/v1/p/managed/items',
      headers: { authorization: t.auth },
      payload: { name: 'first' },
    });
    expect(created.statusCode, created.body).toBe(201);

    const su = new pg.Client({
      connectionString: Object.assign(new URL(cluster), { pathname: `/${database}` }).toString(),
    });
    await su.connect();
    try {
      const count = async (table: string) =>
        Number(
          (await su.query(`select count(*) as n from erp.${table} where tenant_id = $1`, [t.tenantId]))
            .rows[0].n,
        );
      expect(await count('audit_pending')).toBeGreaterThan(0);
      await k.container.cradle.auditSealer.flush();
      expect(await count('audit_pending')).toBe(0);
      expect(await count('audit_entries')).toBeGreaterThan(0);
    } finally {
      await su.end();
    }
    const report = await k.container.cradle.audit.verify(t.tenantId);
    expect(report.valid, JSON.stringify(report)).toBe(true);
  });
});
