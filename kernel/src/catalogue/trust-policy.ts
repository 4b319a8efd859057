// Each tenant's plugin trust policy: whose signed plugins run in the kernel's process, and whether
// unsigned plugins or plugins of publishers it does not trust may be installed at all (then only
// into the sandbox). No row: trust only the first-party publisher. The runtime is decided here,
// from the policy and the verified signature — never from the manifest's own `trust` claim.
import type { Runtime } from '../plugins/index.js';
import type { Sql } from '../tenancy/index.js';
import type { SignatureStatus, TrustPolicy } from './schemas.js';

export type { TrustPolicy };

import { marketProblem } from './problems.js';

export const MAX_TRUSTED_PUBLISHERS = 100;

export function defaultPolicy(firstParty: string): TrustPolicy {
  return { trustedPublishers: [firstParty], allowUnsigned: false, allowUnknownPublishers: false };
}

export class TrustPolicies {
  constructor(private readonly firstParty: string) {}

  async get(sql: Sql): Promise<TrustPolicy> {
    const row = await sql.one<TrustPolicy>(
      `select trusted_publishers as "trustedPublishers", allow_unsigned as "allowUnsigned",
              allow_unknown_publishers as "allowUnknownPublishers"
         from erp.plugin_trust_policies where tenant_id = $1`,
      [sql.tenantId],
    );
    return row ?? defaultPolicy(this.firstParty);
  }

  /** Replaces the policy; returns the previous one. */
  async set(sql: Sql, policy: TrustPolicy, userId: string | null): Promise<TrustPolicy> {
    const previous = await this.get(sql);
    await sql.query(
      `insert into erp.plugin_trust_policies
         (tenant_id, trusted_publishers, allow_unsigned, allow_unknown_publishers, updated_at, updated_by)
       values ($1, $2, $3, $4, now(), $5)
       on conflict (tenant_id) do update
         set trusted_publishers = excluded.trusted_publishers, allow_unsigned = excluded.allow_unsigned,
             allow_unknown_publishers = excluded.allow_unknown_publishers, updated_at = now(),
             updated_by = excluded.updated_by`,
      [
        sql.tenantId,
        [...new Set(policy.trustedPublishers)].sort(),
        policy.allowUnsigned,
        policy.allowUnknownPublishers,
        userId,
      ],
    );
    return previous;
  }
}

/**
 * Where a release may run for this tenant, or the refusal. Expired, revoked and invalid signatures
 * are refused whatever the policy says: a policy may let in the unknown, never the known-bad.
 */
export function decideRuntime(
  policy: TrustPolicy,
  signature: { status: SignatureStatus; owner: string | null; reason: string },
  label: string,
): Runtime {
  const refuse = (code: string, title: string, why: string) => {
    throw marketProblem(403, code, title, `${signature.reason}. ${why}`.replace('..', '.'));
  };
  switch (signature.status) {
    case 'verified':
      if (signature.owner && policy.trustedPublishers.includes(signature.owner)) return 'in-process';
      if (policy.allowUnknownPublishers) return 'sandbox';
      return refuse(
        'ERP_MARKETPLACE_PUBLISHER_UNTRUSTED',
        'Publisher not trusted',
        `This tenant does not trust ${signature.owner}; add it to the trust policy, or allow unknown publishers (sandbox only).`,
      );
    case 'unsigned':
      if (policy.allowUnsigned) return 'sandbox';
      return refuse(
        'ERP_MARKETPLACE_UNSIGNED',
        'Plugin is not signed',
        `This tenant's trust policy refuses unsigned plugins (${label}).`,
      );
    case 'unknown-key':
      if (policy.allowUnknownPublishers) return 'sandbox';
      return refuse(
        'ERP_MARKETPLACE_KEY_UNKNOWN',
        'Signed by an unknown key',
        `This tenant's trust policy refuses unknown publishers (${label}).`,
      );
    case 'expired':
      return refuse('ERP_MARKETPLACE_KEY_EXPIRED', 'Signing key expired', 'Refused.');
    case 'revoked':
      return refuse('ERP_MARKETPLACE_KEY_REVOKED', 'Signing key revoked', 'Refused.');
    default:
      return refuse('ERP_MARKETPLACE_SIGNATURE_INVALID', 'Signature does not verify', 'Refused.');
  }
}
