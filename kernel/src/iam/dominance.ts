// Who may act on whom. Acting on a user, an API key or a role needs every grant the target holds
// (a key holds its scopes ∩ its creator's rights), read from the database inside the unit of
// work after the tenant's IAM lock, so a change committed a moment ago is seen. A refusal is a
// 403 that names what is missing, and its audit entry is committed although the request fails.
import { type AuditLog, requestAudit } from '../audit/index.js';
import { Problem } from '../http/index.js';
import type { Principal } from '../principal/index.js';
import { GrantSet, intersectGrants, simplifyGrants } from '../rbac/index.js';
import type { Sql } from '../tenancy/index.js';

/** The caller of an IAM route, as a refusal's audit entry names it. */
export interface IamActor {
  principal: Principal;
  request: { id: string | number; ip: string };
  audit: AuditLog;
}

/** What the caller tried: the action it would have recorded and what it would have acted on. */
export interface IamAttempt {
  action: string;
  resource: { type: string; id: string };
}

/** A user's grants (union of their roles); `activeOnly` gives a disabled user none. */
export async function userGrants(sql: Sql, userId: string | null, activeOnly: boolean): Promise<string[]> {
  if (!userId) return [];
  const rows = await sql.query<{ permissions: string[] }>(
    `select r.permissions from erp.user_roles ur
       join erp.roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
       join erp.users u on u.tenant_id = ur.tenant_id and u.id = ur.user_id
      where ur.tenant_id = $1 and ur.user_id = $2 and (u.status = 'active' or not $3)`,
    [sql.tenantId, userId, activeOnly],
  );
  return simplifyGrants(rows.flatMap((r) => r.permissions));
}

/** What an API key may do: its scopes, within what its creator may do now. */
export async function apiKeyGrants(
  sql: Sql,
  key: { permissions: readonly string[]; createdBy: string | null },
): Promise<string[]> {
  return intersectGrants(key.permissions, await userGrants(sql, key.createdBy, true));
}

/** What the calling principal may do, from the database (not the authorizer's cache). */
export function principalGrants(sql: Sql, principal: Principal): Promise<string[]> {
  return principal.scopes === null
    ? userGrants(sql, principal.userId, true)
    : apiKeyGrants(sql, { permissions: principal.scopes, createdBy: principal.userId });
}

/** The target's grants the actor does not hold itself (a wildcard needs an equal or wider one). */
export function missingGrants(actor: readonly string[], target: readonly string[]): string[] {
  const held = new GrantSet(actor);
  return simplifyGrants(target).filter((g) => !held.covers(g));
}

/** Records the refused attempt and throws the problem; the entry commits, nothing else was changed. */
export async function refuse(
  sql: Sql,
  actor: IamActor,
  attempt: IamAttempt,
  problem: Problem,
  details: Record<string, unknown> = {},
): Promise<never> {
  await actor.audit.record(sql, {
    ...requestAudit(actor.request, actor.principal),
    action: 'iam.access.refused',
    resource: attempt.resource,
    change: { attempted: attempt.action, code: problem.code, ...details },
  });
  throw new Problem(problem.status, problem.code, problem.title, {
    ...problem.options,
    commitBeforeThrow: true,
  });
}

/** Refuses unless the caller holds every grant of the target (`what` names it for the message). */
export async function requireDominance(
  sql: Sql,
  actor: IamActor,
  attempt: IamAttempt,
  target: readonly string[],
  what: string,
): Promise<void> {
  const missing = missingGrants(await principalGrants(sql, actor.principal), target);
  if (!missing.length) return;
  await refuse(
    sql,
    actor,
    attempt,
    new Problem(403, 'ERP_NOT_DOMINANT', 'Cannot act on a principal holding more than you', {
      detail: `Acting on ${what} needs every permission it holds; you lack: ${missing.join(', ')}.`,
    }),
    { missing },
  );
}

const USER_ONLY_WHAT: Record<string, string> = {
  'iam.user.create': 'create users',
  'iam.apikey.create': 'create or rotate API keys',
  'iam.apikey.rotate': 'create or rotate API keys',
  'auth.password.reset-by-admin': "set another user's password",
  'auth.mfa.reset-by-admin': "reset another user's second factor",
};

/** API keys may not mint credentials or accounts (rotated secrets, users that outlive the key). */
export async function requireUserPrincipal(sql: Sql, actor: IamActor, attempt: IamAttempt): Promise<void> {
  if (actor.principal.kind === 'user') return;
  await refuse(
    sql,
    actor,
    attempt,
    new Problem(403, 'ERP_USER_ONLY', 'Only a signed-in user may do this', {
      detail: `An API key may not ${USER_ONLY_WHAT[attempt.action] ?? 'do this'}.`,
    }),
  );
}
