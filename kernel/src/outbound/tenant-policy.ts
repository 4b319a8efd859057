// Each tenant's outbound allowance (erp.outbound_policies) joined with the operator's
// (ERP_OUTBOUND_ALLOW_PRIVATE): plugin fetches of a tenant may reach the non-public ranges either
// one names, and nothing else. Read in the caller's unit of work, so a change applies to the next
// fetch on every instance; compiled clients are kept per distinct allowance.
import { LRUCache } from 'lru-cache';
import type { FieldError } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import { createAddressPolicy } from './address-policy.js';
import { createOutboundFetch, type OutboundDeps, type OutboundFetch } from './fetch.js';

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

  constructor(
    private readonly operatorAllow: readonly string[],
    private readonly deps: OutboundDeps = {},
  ) {
    createAddressPolicy(operatorAllow); // a bad operator entry fails at start, naming it
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
    return previous;
  }

  /** The outbound client for this tenant's unit of work. */
  async fetchFor(sql: Sql): Promise<OutboundFetch> {
    const allow = [...new Set([...this.operatorAllow, ...(await this.allowance(sql))])].sort();
    const key = allow.join(',');
    let client = this.clients.get(key);
    if (!client) {
      client = createOutboundFetch({ allowPrivate: allow }, this.deps);
      this.clients.set(key, client);
    }
    return client;
  }
}
