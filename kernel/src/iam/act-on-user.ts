// The one gate for every administrator action on another user (change, disable, unlock, sign out,
// assign or remove a role, set the password, reset the second factor): the tenant's IAM lock,
// the user must exist, optionally a signed-in user only and never oneself, and the caller must
// hold every grant the user holds (dominance.ts). Each refusal is audited as iam.access.refused
// and committed although the request fails; there is no second, weaker rule anywhere else.
import { notFound, Problem } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import {
  type IamActor,
  type IamAttempt,
  refuse,
  requireDominance,
  requireUserPrincipal,
  userGrants,
} from './dominance.js';
import { lockTenantIam } from './last-admin.js';

export interface ActOnUserRules {
  /** Refuse API keys (ERP_USER_ONLY): credentials set by a key would outlive it. */
  userOnly?: boolean;
  /** Refuse the caller's own account (ERP_USE_SELF_SERVICE): it has step-up routes of its own. */
  notSelf?: boolean;
}

/**
 * Locks the tenant's IAM changes and refuses unless the caller may act on the user; returns the
 * attempt, for requireAdminRemains and for the success entry's action.
 */
export async function actOnUser(
  sql: Sql,
  actor: IamActor,
  id: string,
  action: string,
  rules: ActOnUserRules = {},
): Promise<IamAttempt> {
  await lockTenantIam(sql);
  const exists = await sql.one('select 1 as found from erp.users where tenant_id = $1 and id = $2', [
    sql.tenantId,
    id,
  ]);
  if (!exists) throw notFound('User');
  const attempt = { action, resource: { type: 'user', id } };
  if (rules.userOnly) await requireUserPrincipal(sql, actor, attempt);
  if (rules.notSelf && id === actor.principal.userId) {
    await refuse(
      sql,
      actor,
      attempt,
      new Problem(403, 'ERP_USE_SELF_SERVICE', 'Use the self-service routes for your own account', {
        detail: 'Your own password and second factor change through /api/v1/auth with your current password.',
      }),
    );
  }
  await requireDominance(sql, actor, attempt, await userGrants(sql, id, false), 'this user');
  return attempt;
}
