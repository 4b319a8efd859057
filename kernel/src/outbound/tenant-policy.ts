// Each tenant's outbound allowance (erp.outbound_policies) joined with the operator's
// (ERP_OUTBOUND_ALLOW_PRIVATE): plugin fetches of a tenant may reach the non-public ranges either
// one names, and nothing else. The allowance is cached per tenant and dropped when a change
// commits, on every instance (the outbound.changed signal; all of it while the signal connection is
// down, when nothing is cached); compiled clients are kept per distinct allowance. A refused call
// (SSRF) is reported to the refusal audit, which coalesces repeats (audit/refusals.ts).
import { LRUCache } from 'lru-cache';
import type { Refusal } from '../audit/index.js';
import type { FieldError } from '../http/index.js';
import type { KernelSignals } from '../signals/index.js';
import type { Sql } from '../tenancy/index.js';
import { createAddressPolicy } from './address-policy.js';
import { createOutboundFetch, type OutboundDeps, type OutboundFetch } from './fetch.js';
import { OutboundRefused } from './problems.js';

/** Who is calling out, for the audit entry of a refused call. */
export interface OutboundCaller {
  plugin: string;
  /** The user behind the call (also for an API key), null for subscriptions and jobs. */
  userId: string | null;
  /** The plugin's entry point, e.g. "POST /items". */
  entry?: string;
  requestId?: string;
  ip?: string;
}

export interface TenantOutboundDeps extends OutboundDeps {
  /** Where refused calls are reported (RefusalAudit); none: not audited. */
  refusals?: { report(refusal: Refusal): Promise<void> };
  /** Cross-instance invalidation; none: nothing is cached. */
  signals?: Pick<KernelSignals, 'on' | 'send' | 'connected'>;
}

export const MAX_ALLOW_ENTRIES = 50;

/** Field errors for an allowance a tenant admin sends, or an empty list. */
export function allowanceErrors(entries: readonly string[], field: string): FieldError[] {
  return entries.flatMap((entry, i) => {
    try {
      createAddressPolicy([entry]);
      return [];
    } catch {
      return [
        { field: `${field}/${i}`, message: `${JSON.stringify(entry)} is not an IP address or CIDR range` },
      ];
    }
  });
}

export class TenantOutbound {
  private readonly clients = new LRUCache<string, OutboundFetch>({ max: 200 });
  private readonly allowances = new LRUCache<string, string[]>({ max: 10_000 });
  /** Bumped by every invalidation: a read that started before one is not cached. */
  private generation = 0;

  constructor(
    private readonly operatorAllow: readonly string[],
    private readonly deps: TenantOutboundDeps = {},
  ) {
    createAddressPolicy(operatorAllow); // a bad operator entry fails at start, naming it
    deps.signals?.on((signal) => {
      if (signal.type !== 'reset' && signal.type !== 'outbound.changed') return;
      this.generation += 1;
      if (signal.type === 'reset') this.allowances.clear();
      else this.allowances.delete(signal.tenantId);
    });
  }

  async allowance(sql: Sql): Promise<string[]> {
    const row = await sql.one<{ allow_private: string[] }>(
      'select allow_private from erp.outbound_policies where tenant_id = $1',
      [sql.tenantId],
    );
    return row?.allow_private ?? [];
  }

  /** Replaces the tenant's allowance; returns the previous one. Entries must be valid. */
  async setAllowance(sql: Sql, entries: readonly string[], userId: string | null): Promise<string[]> {
    const previous = await this.allowance(sql);
    await sql.query(
      `insert into erp.outbound_policies (tenant_id, allow_private, updated_at, updated_by)
       values ($1, $2, now(), $3)
       on conflict (tenant_id) do update
         set allow_private = excluded.allow_private, updated_at = now(), updated_by = excluded.updated_by`,
      [sql.tenantId, [...new Set(entries)], userId],
    );
    const tenantId = sql.tenantId;
    sql.afterCommit(() => {
      this.generation += 1;
      this.allowances.delete(tenantId);
    });
    await this.deps.signals?.send(sql, { type: 'outbound.changed', tenantId });
    return previous;
  }

  /** The tenant's allowance, from the cache or read in the caller's unit of work. */
  private async cachedAllowance(sql: Sql): Promise<string[]> {
    const cached = this.allowances.get(sql.tenantId);
    if (cached) return cached;
    const generation = this.generation;
    const read = await this.allowance(sql);
    if (this.deps.signals?.connected && generation === this.generation)
      this.allowances.set(sql.tenantId, read);
    return read;
  }

  /** The outbound client for this tenant's unit of work; `caller` names who a refusal is audited as. */
  async fetchFor(sql: Sql, caller?: OutboundCaller): Promise<OutboundFetch> {
    const allow = [...new Set([...this.operatorAllow, ...(await this.cachedAllowance(sql))])].sort();
    const key = allow.join(',');
    let client = this.clients.get(key);
    if (!client) {
      client = createOutboundFetch({ allowPrivate: allow }, this.deps);
      this.clients.set(key, client);
    }
    const refusals = this.deps.refusals;
    if (!refusals || !caller) return client;
    const tenantId = sql.tenantId;
    const inner = client;
    return async (url, init) => {
      try {
        return await inner(url, init);
      } catch (err) {
        // Not awaited: the caller's unit of work holds a connection, and the entry needs another.
        if (err instanceof OutboundRefused) void refusals.report(outboundRefusal(tenantId, caller, err));
        throw err;
      }
    };
  }
}

/** The audit entry of a refused outbound call: plugin, user, host and cause, never path or query. */
function outboundRefusal(tenantId: string, caller: OutboundCaller, err: OutboundRefused): Refusal {
  const { host, address, cause } = err.refusal;
  return {
    tenantId,
    // The host is left out of the kind: an attacker choosing URLs would otherwise make every call new.
    kind: `outbound\u0000${caller.plugin}\u0000${caller.userId ?? ''}\u0000${err.code}\u0000${cause}`,
    entry: {
      actor: { type: 'plugin', id: caller.plugin, userId: caller.userId },
      action: 'kernel.outbound.refused',
      resource: { type: 'plugin', id: caller.plugin },
      change: { code: err.code, host, address, cause, entry: caller.entry ?? null },
      requestId: caller.requestId ?? null,
      clientIp: caller.ip ?? null,
    },
  };
}
