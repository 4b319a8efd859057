// Grant hygiene shared by roles and API keys: a grant must name registered permissions, and a
// principal may only hand out what it holds itself (no escalation through role or key admin).
import type { Principal } from '../auth/index.js';
import { Problem } from '../http/index.js';
import { type Authorizer, GrantSet, type PermissionRegistry } from '../rbac/index.js';

export async function checkGrants(
  grants: readonly string[],
  field: string,
  principal: Principal,
  deps: { permissions: PermissionRegistry; authorizer: Authorizer },
): Promise<void> {
  const errors = grants
    .map((g, i) => ({ g, i, why: deps.permissions.grantProblem(g) }))
    .filter((e) => e.why)
    .map((e) => ({ field: `${field}/${e.i}`, message: `${JSON.stringify(e.g)} ${e.why}` }));
  if (errors.length) {
    throw new Problem(400, 'ERP_PERMISSION_UNKNOWN', 'Unknown permission', {
      detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    });
  }
  const registered = deps.permissions.list().map((p) => p.name);
  const wanted = new GrantSet(grants).expand(registered);
  for (const p of wanted) {
    if (!(await deps.authorizer.allows(principal, p))) {
      throw new Problem(403, 'ERP_GRANT_EXCEEDS_OWN', 'Cannot grant a permission you do not hold', {
        detail: `Granting ${p} needs you to hold ${p} yourself.`,
      });
    }
  }
}
