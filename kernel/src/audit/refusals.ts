// Audit entries for refusals an attacker can repeat at will (a route without the permission, an
// outbound call to an internal address), coalesced so that repeating them cannot flood the chain.
//
// Why coalesce rather than drop: every entry is chained, sealed and kept forever, so an unbounded
// stream of identical refusals would cost every tenant's auditor and the sealer; but silently
// dropping repeats would hide how hard someone tried. So, per instance:
// - the first refusal of a kind (tenant, actor, what was refused, cause) in a window is recorded at
//   once, in full (who, which route or host, why);
// - repeats of that kind in the window are only counted, and one entry with the count (`repeated`)
//   is written when the window ends;
// - each tenant gets at most `perTenant` immediate entries per window; refusals beyond that are
//   counted and written as one `audit.refusals.suppressed` entry when the window ends (an attacker
//   varying routes or hosts still cannot write more than about 2 × perTenant + 1 entries a window).
// Counts live in memory: N instances write at most N times as many, and the counts of an instance
// that dies unflushed are lost (the first entry of each kind is not). Recording never changes the
// answer to the caller, and a failure to record is logged, never thrown.
import type { Principal } from '../principal/index.js';
import type { TenantTx } from '../tenancy/index.js';
import { requestAudit } from './actor.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecordInput, JsonValue } from './entry.js';

export interface Refusal {
  tenantId: string;
  /** Refusals with the same kind within a window are one entry plus a count. */
  kind: string;
  entry: AuditRecordInput;
}

export interface RefusalAuditOptions {
  windowMs: number;
  perTenant: number;
  /** Bound on the kinds remembered at once; beyond it, a new kind counts as over the tenant's budget. */
  maxKinds?: number;
  /** The clock (tests move it instead of waiting). */
  now?: () => number;
}

interface KindState {
  tenantId: string;
  until: number;
  repeated: number;
  last: AuditRecordInput;
}

interface TenantState {
  until: number;
  written: number;
  suppressed: number;
}

export class RefusalAudit {
  private readonly kinds = new Map<string, KindState>();
  private readonly tenants = new Map<string, TenantState>();
  private timer: NodeJS.Timeout | undefined;
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      tenantTx: TenantTx;
      audit: AuditLog;
      log?: { warn(obj: object, msg: string): void };
    },
    private readonly options: RefusalAuditOptions,
  ) {}

  /** Records the refusal, or counts it; never throws. Resolves once an immediate entry is written. */
  report(refusal: Refusal): Promise<void> {
    const now = this.now();
    const key = `${refusal.tenantId}\u0000${refusal.kind}`;
    const known = this.kinds.get(key);
    if (known && now < known.until) {
      known.repeated += 1;
      known.last = refusal.entry;
      return Promise.resolve();
    }
    if (known) this.closeKind(key, known);
    const tenant = this.tenantWindow(refusal.tenantId, now);
    if (tenant.written >= this.options.perTenant || this.kinds.size >= (this.options.maxKinds ?? 10_000)) {
      tenant.suppressed += 1;
      this.arm();
      return Promise.resolve();
    }
    tenant.written += 1;
    this.kinds.set(key, {
      tenantId: refusal.tenantId,
      until: now + this.options.windowMs,
      repeated: 0,
      last: refusal.entry,
    });
    this.arm();
    return this.write(refusal.tenantId, refusal.entry);
  }

  /**
   * A kernel route answered 403 ERP_FORBIDDEN: recorded as `kernel.access.forbidden` naming the
   * caller, the route (its pattern, not the URL: ids and query strings stay out) and the permission.
   */
  forbidden(
    request: { id: string | number; ip: string; method: string; routeOptions: { url?: string } },
    principal: Principal,
    permission: string,
  ): Promise<void> {
    const route = `${request.method} ${request.routeOptions.url ?? '?'}`;
    const entry = { ...requestAudit(request, principal) };
    return this.report({
      tenantId: principal.tenantId,
      kind: `forbidden\u0000${entry.actor.type}\u0000${entry.actor.id}\u0000${route}`,
      entry: {
        ...entry,
        action: 'kernel.access.forbidden',
        resource: { type: 'route', id: route },
        change: { code: 'ERP_FORBIDDEN', permission },
      },
    });
  }

  /**
   * A third-party plugin UI's token used outside its plugin's routes (issue 19): the plugin's code
   * probing the kernel. Coalesced per (tenant, user, plugin, route) like ERP_FORBIDDEN.
   */
  outOfScope(
    request: { id: string | number; ip: string; method: string; routeOptions: { url?: string } },
    principal: Principal,
  ): Promise<void> {
    const route = `${request.method} ${request.routeOptions.url ?? '?'}`;
    const entry = { ...requestAudit(request, principal) };
    const plugin = principal.plugin ? `${principal.plugin.id}@${principal.plugin.version}` : '?';
    return this.report({
      tenantId: principal.tenantId,
      kind: `plugin-scope\u0000${entry.actor.id}\u0000${plugin}\u0000${route}`,
      entry: {
        ...entry,
        action: 'kernel.access.plugin-scope-refused',
        resource: { type: 'route', id: route },
        change: { code: 'ERP_PLUGIN_TOKEN_SCOPE', plugin },
      },
    });
  }

  /** Writes every count gathered so far, whether or not its window has ended (tests, shutdown). */
  async flush(): Promise<void> {
    this.sweep(Number.POSITIVE_INFINITY);
    await this.settled();
  }

  /** Waits for the entries being written now. */
  async settled(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes]);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private tenantWindow(tenantId: string, now: number): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state || now >= state.until) {
      if (state) this.closeTenant(tenantId, state);
      state = { until: now + this.options.windowMs, written: 0, suppressed: 0 };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  private closeKind(key: string, state: KindState): void {
    this.kinds.delete(key);
    if (!state.repeated) return;
    const change = state.last.change;
    this.write(state.tenantId, {
      ...state.last,
      change: {
        ...(change && typeof change === 'object' && !Array.isArray(change)
          ? change
          : { detail: change ?? null }),
        repeated: state.repeated,
        windowSeconds: Math.round(this.options.windowMs / 1000),
      } as JsonValue,
    });
  }

  private closeTenant(tenantId: string, state: TenantState): void {
    this.tenants.delete(tenantId);
    if (!state.suppressed) return;
    this.write(tenantId, {
      actor: { type: 'system', id: 'refusal-audit' },
      action: 'audit.refusals.suppressed',
      resource: { type: 'tenant', id: tenantId },
      change: { suppressed: state.suppressed, windowSeconds: Math.round(this.options.windowMs / 1000) },
    });
  }

  private sweep(now: number): void {
    for (const [key, state] of this.kinds) if (now >= state.until) this.closeKind(key, state);
    for (const [tenantId, state] of this.tenants) if (now >= state.until) this.closeTenant(tenantId, state);
    if (!this.kinds.size && !this.tenants.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One timer while anything is pending; it does not keep the process alive. */
  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(this.now()), Math.max(1000, this.options.windowMs / 2));
    this.timer.unref();
  }

  private write(tenantId: string, entry: AuditRecordInput): Promise<void> {
    const done = this.deps.tenantTx
      .run(tenantId, (sql) => this.deps.audit.record(sql, entry))
      .catch((err: Error) => {
        this.deps.log?.warn({ err: err.message, action: entry.action }, 'refusal not audited');
      })
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
    return done;
  }
}
