// Grant hygiene shared by roles, assignments and API keys: a grant must name registered
// permissions, and a principal may only hand out what it holds itself, read from the database
// in the unit of work (no escalation through role or key admin). A wildcard can only be handed
// out by someone holding that wildcard or a wider one: it also grants permissions registered later.
import { Problem } from '../http/index.js';
import { GrantSet, type PermissionRegistry } from '../rbac/index.js';
import type { Sql } from '../tenancy/index.js';
import { type IamActor, type IamAttempt, missingGrants, principalGrants, refuse } from './dominance.js';

export async function checkGrants(
  sql: Sql,
  actor: IamActor,
  attempt: IamAttempt,
  grants: readonly string[],
  field: string,
  permissions: PermissionRegistry,
): Promise<void> {
  const errors = grants
    .map((g, i) => ({ g, i, why: permissions.grantProblem(g) }))
    .filter((e) => e.why)
    .map((e) => ({ field: `${field}/${e.i}`, message: `${JSON.stringify(e.g)} ${e.why}` }));
  if (errors.length) {
    throw new Problem(400, 'ERP_PERMISSION_UNKNOWN', 'Unknown permission', {
      detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    });
  }
  const held = await principalGrants(sql, actor.principal);
  const heldSet = new GrantSet(held);
  const registered = permissions.list().map((p) => p.name);
  // A concrete permission the caller lacks names the problem best; then wildcards not held as such.
  const lacking =
    new GrantSet(grants).expand(registered).find((p) => !heldSet.allows(p)) ?? missingGrants(held, grants)[0];
  if (lacking === undefined) return;
  await refuse(
    sql,
    actor,
    attempt,
    new Problem(403, 'ERP_GRANT_EXCEEDS_OWN', 'Cannot grant a permission you do not hold', {
      detail: `Granting ${lacking} needs you to hold ${lacking} yourself.`,
    }),
    { missing: [lacking] },
  );
}
