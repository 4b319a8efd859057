// Answers "may this principal do X?" from memory. A user's grants (union of their roles) are
// loaded once and kept; any committed role or assignment change in a tenant drops
// that tenant's cache here at commit and on every other instance through the rbac.changed signal.
import type { Principal } from '../principal/index.js';
import type { KernelSignals } from '../signals/index.js';
import type { Sql, TenantTx } from '../tenancy/index.js';
import { GrantSet } from './grant-set.js';

const NONE = new GrantSet([]);

export class Authorizer {
  /** tenant → user → grants. A tenant's map is dropped whole on a change in that tenant. */
  private readonly tenants = new Map<string, Map<string, Promise<GrantSet>>>();
  /** API keys' scopes compiled once per cached key (the scopes array is the key cache's own). */
  private readonly scopeSets = new WeakMap<readonly string[], GrantSet>();

  constructor(
    private readonly tenantTx: TenantTx,
    private readonly signals: KernelSignals,
  ) {
    signals.on((s) => {
      if (s.type === 'reset') this.tenants.clear();
      else if (s.type === 'rbac.changed') this.invalidate(s.tenantId);
    });
  }

  /** Call inside the unit of work that changed roles or assignments of the tenant. */
  async changed(sql: Sql): Promise<void> {
    const tenantId = sql.tenantId;
    sql.afterCommit(() => this.invalidate(tenantId));
    await this.signals.send(sql, { type: 'rbac.changed', tenantId });
  }

  async allows(principal: Principal, permission: string): Promise<boolean> {
    const userGrants = principal.userId ? await this.grantsOf(principal.tenantId, principal.userId) : NONE;
    if (!userGrants.allows(permission)) return false;
    // An API key acts with at most its own scopes and at most what its creator may do now.
    if (principal.scopes === null) return true;
    let scopes = this.scopeSets.get(principal.scopes);
    if (!scopes) {
      scopes = new GrantSet(principal.scopes);
      this.scopeSets.set(principal.scopes, scopes);
    }
    return scopes.allows(permission);
  }

  async grantsOf(tenantId: string, userId: string): Promise<GrantSet> {
    let users = this.tenants.get(tenantId);
    if (!users) {
      users = new Map();
      this.tenants.set(tenantId, users);
    }
    let pending = users.get(userId);
    if (!pending) {
      pending = this.load(tenantId, userId);
      users.set(userId, pending);
      pending.catch(() => users.delete(userId));
    }
    return pending;
  }

  private async load(tenantId: string, userId: string): Promise<GrantSet> {
    const rows = await this.tenantTx.run(tenantId, (sql) =>
      sql.query<{ permissions: string[] }>(
        `select r.permissions from erp.user_roles ur
           join erp.roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
           join erp.users u on u.tenant_id = ur.tenant_id and u.id = ur.user_id and u.status = 'active'
          where ur.tenant_id = $1 and ur.user_id = $2`,
        [tenantId, userId],
      ),
    );
    return new GrantSet(rows.flatMap((r) => r.permissions));
  }

  private invalidate(tenantId: string): void {
    // Dropping the map (not clearing it) means a load still in flight fills a map nobody reads.
    this.tenants.delete(tenantId);
  }
}
