// The tenant always keeps an active holder of full administration (`*`). Every IAM change that
// can take it away first takes the tenant's IAM lock (the tenant row, FOR NO KEY UPDATE, which
// does not block inserts referencing the tenant) and then checks the rows as they are now, so
// two concurrent requests each removing one of two administrators cannot both succeed.
import { Problem } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import { type IamActor, type IamAttempt, refuse } from './dominance.js';

/** Serialises the tenant's IAM changes until the unit of work ends. */
export async function lockTenantIam(sql: Sql): Promise<void> {
  await sql.query('select 1 from erp.tenants where id = $1 for no key update', [sql.tenantId]);
}

/** What the change takes away: a user (disabled), a role (deleted or losing `*`), or one assignment. */
export interface AdminLoss {
  userId?: string;
  roleId?: string;
  assignment?: { userId: string; roleId: string };
}

/** Refuses (409 ERP_LAST_ADMIN) a change after which no active user would hold `*`. Call under lockTenantIam. */
export async function requireAdminRemains(
  sql: Sql,
  actor: IamActor,
  attempt: IamAttempt,
  loss: AdminLoss,
): Promise<void> {
  const row = await sql.one<{ before: boolean; after: boolean }>(
    `with holders as (
       select u.id as user_id, r.id as role_id from erp.users u
         join erp.user_roles ur on ur.tenant_id = u.tenant_id and ur.user_id = u.id
         join erp.roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
        where u.tenant_id = $1 and u.status = 'active' and '*' = any(r.permissions))
     select exists (select 1 from holders) as before,
            exists (select 1 from holders
                     where user_id is distinct from $2::uuid and role_id is distinct from $3::uuid
                       and not coalesce(user_id = $4::uuid and role_id = $5::uuid, false)) as after`,
    [
      sql.tenantId,
      loss.userId ?? null,
      loss.roleId ?? null,
      loss.assignment?.userId ?? null,
      loss.assignment?.roleId ?? null,
    ],
  );
  // A tenant that has no administrator already is not made worse; break-glass restores one.
  if (!row?.before || row.after) return;
  await refuse(
    sql,
    actor,
    attempt,
    new Problem(409, 'ERP_LAST_ADMIN', 'The tenant would have no administrator', {
      detail:
        'This change would leave no active user holding full administration (*). Give another user the Administrator role first.',
    }),
  );
}
