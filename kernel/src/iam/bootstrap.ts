// Creates a tenant with its built-in Administrator role and first admin user, in one transaction
// on the owner connection (the app role may not create tenants). Used by `erp tenant create`.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type AuditActor, recordAudit } from '../audit/index.js';
import { hashPassword, passwordWeakness } from '../auth/index.js';

export interface BootstrapInput {
  slug: string;
  name: string;
  adminEmail: string;
  adminPassword: string;
}

export class BootstrapError extends Error {}

/** The first-run setup page asked to create a tenant, but one exists already (it lost a race, or came late). */
export class TenantsExistError extends BootstrapError {}

/** Serialises first-tenant creations across kernel instances (a transaction-scoped advisory lock). */
const FIRST_TENANT_LOCK = 0x45_52_50_31; // 'ERP1'

export async function createTenantWithAdmin(
  owner: pg.Pool,
  input: BootstrapInput,
  actor: AuditActor = { type: 'system', id: 'kernel.bootstrap' },
  opts: { onlyIfFirst?: boolean } = {},
): Promise<{ tenantId: string; userId: string; roleId: string }> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) {
    throw new BootstrapError(
      '--slug must be 2-63 lowercase letters, digits or dashes, starting with a letter or digit',
    );
  }
  if (!input.name.trim()) throw new BootstrapError('--name must not be empty');
  const email = input.adminEmail.toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new BootstrapError('--admin-email is not an email address');
  const weak = passwordWeakness(input.adminPassword, email);
  if (weak) throw new BootstrapError(`--admin-password ${weak}`);
  const tenantId = randomUUID();
  const passwordHash = await hashPassword(input.adminPassword);
  const client = await owner.connect();
  try {
    await client.query('begin');
    await client.query("select set_config('erp.tenant_id', $1, true)", [tenantId]);
    if (opts.onlyIfFirst) {
      // Under the lock, the read sees every tenant a concurrent setup committed before us.
      await client.query('select pg_advisory_xact_lock($1)', [FIRST_TENANT_LOCK]);
      const any = await client.query('select 1 from erp.tenants limit 1');
      if (any.rowCount) throw new TenantsExistError('a tenant exists already');
    }
    const exists = await client.query('select 1 from erp.tenants where slug = $1', [input.slug]);
    if (exists.rowCount) throw new BootstrapError(`--slug ${input.slug} is already taken`);
    await client.query('insert into erp.tenants (id, slug, name) values ($1, $2, $3)', [
      tenantId,
      input.slug,
      input.name.trim(),
    ]);
    const role = await client.query<{ id: string }>(
      `insert into erp.roles (tenant_id, name, description, permissions, builtin)
       values ($1, 'Administrator', 'Every permission of the kernel and installed plugins', '{*}', true) returning id`,
      [tenantId],
    );
    const user = await client.query<{ id: string }>(
      `insert into erp.users (tenant_id, email, display_name, password_hash) values ($1, $2, 'Administrator', $3) returning id`,
      [tenantId, email, passwordHash],
    );
    await client.query('insert into erp.user_roles (tenant_id, user_id, role_id) values ($1, $2, $3)', [
      tenantId,
      user.rows[0]!.id,
      role.rows[0]!.id,
    ]);
    // The tenant's first audit entry, in the same transaction (a running kernel's sealer chains it).
    await recordAudit(
      { tenantId, query: async (text, params) => (await client.query(text, params as unknown[])).rows },
      {
        actor,
        action: 'kernel.tenant.created',
        resource: { type: 'tenant', id: tenantId },
        change: {
          after: {
            slug: input.slug,
            name: input.name.trim(),
            adminEmail: email,
            adminUserId: user.rows[0]!.id,
            administratorRoleId: role.rows[0]!.id,
          },
        },
      },
    );
    await client.query('commit');
    return { tenantId, userId: user.rows[0]!.id, roleId: role.rows[0]!.id };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
