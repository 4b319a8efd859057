// Break-glass for the server operator (`erp tenant grant-admin`): gives a user of a tenant full
// administration when no administrator is left to do it through the API. Runs on the owner
// connection in one transaction under the tenant's IAM lock: assigns the built-in Administrator
// role, re-enables the account and forgets its sign-in throttle counts (erp.auth_throttle, every
// source), records who did it, and tells running kernels that the tenant's grants changed.
import type pg from 'pg';
import { type AuditActor, recordAudit } from '../audit/index.js';
import { accountKey, clearAccountThrottle } from '../auth/index.js';
import { KERNEL_SIGNAL_CHANNEL } from '../signals/index.js';

export class BreakGlassError extends Error {}

export interface GrantAdminResult {
  tenantId: string;
  userId: string;
  roleId: string;
  roleName: string;
  /** False when the user already held the role. */
  assigned: boolean;
  /** The account had been disabled and is active again. */
  reenabled: boolean;
  /** Sign-in throttle counts of the account were cleared (its failed attempts are forgotten). */
  unlocked: boolean;
}

export async function grantAdmin(
  owner: pg.Pool,
  input: { tenant: string; email: string },
  actor: AuditActor = { type: 'system', id: 'operator' },
): Promise<GrantAdminResult> {
  const email = input.email.trim().toLowerCase();
  const client = await owner.connect();
  try {
    await client.query('begin');
    const tenant = await client.query<{ id: string }>('select id from erp.tenants where slug = $1', [
      input.tenant,
    ]);
    const tenantId = tenant.rows[0]?.id;
    if (!tenantId) throw new BreakGlassError(`--tenant: no tenant with slug ${JSON.stringify(input.tenant)}`);
    await client.query("select set_config('erp.tenant_id', $1, true)", [tenantId]);
    // The same lock the IAM routes take, so a concurrent API change sees this one.
    await client.query('select 1 from erp.tenants where id = $1 for no key update', [tenantId]);
    const user = await client.query<{ id: string; status: string }>(
      `select id, status from erp.users where tenant_id = $1 and email = $2 for update`,
      [tenantId, email],
    );
    const target = user.rows[0];
    if (!target) {
      throw new BreakGlassError(`--email: no user ${JSON.stringify(email)} in tenant ${input.tenant}`);
    }
    const role = await administratorRole(client, tenantId);
    const assigned = await client.query(
      `insert into erp.user_roles (tenant_id, user_id, role_id) values ($1, $2, $3)
       on conflict do nothing returning role_id`,
      [tenantId, target.id, role.id],
    );
    await client.query(
      `update erp.users set status = 'active', updated_at = now() where tenant_id = $1 and id = $2`,
      [tenantId, target.id],
    );
    const cleared = await clearAccountThrottle(
      { query: async (text, params) => (await client.query(text, params as unknown[])).rows },
      accountKey(tenantId, email),
    );
    const result: GrantAdminResult = {
      tenantId,
      userId: target.id,
      roleId: role.id,
      roleName: role.name,
      assigned: (assigned.rowCount ?? 0) > 0,
      reenabled: target.status !== 'active',
      unlocked: cleared > 0,
    };
    await recordAudit(
      { tenantId, query: async (text, params) => (await client.query(text, params as unknown[])).rows },
      {
        actor,
        action: 'iam.break-glass.grant-admin',
        resource: { type: 'user', id: target.id },
        change: {
          email,
          roleId: role.id,
          assigned: result.assigned,
          reenabled: result.reenabled,
          unlocked: result.unlocked,
        },
      },
    );
    await client.query('select pg_notify($1, $2)', [
      KERNEL_SIGNAL_CHANNEL,
      JSON.stringify({ type: 'rbac.changed', tenantId }),
    ]);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** The tenant's built-in full-administration role; recreated if it is somehow gone. */
async function administratorRole(
  client: pg.PoolClient,
  tenantId: string,
): Promise<{ id: string; name: string }> {
  const found = await client.query<{ id: string; name: string }>(
    `select id, name from erp.roles where tenant_id = $1 and builtin and '*' = any(permissions)
      order by created_at limit 1`,
    [tenantId],
  );
  if (found.rows[0]) return found.rows[0];
  const created = await client.query<{ id: string; name: string }>(
    `insert into erp.roles (tenant_id, name, description, permissions, builtin)
     values ($1, 'Administrator (break-glass)', 'Every permission of the kernel and installed plugins', '{*}', true)
     returning id, name`,
    [tenantId],
  );
  return created.rows[0]!;
}
