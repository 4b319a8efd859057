// Audit entries for refused bearer credentials (API keys, refresh tokens). A token that parses
// names its tenant, so the refusal is recorded in that tenant's chain, like a failed sign-in; a
// malformed token or a tenant that does not exist has no chain and is only in the request log.
// Recording never changes the answer: a failure to record is swallowed (the 401 stands).
import type { AuditLog } from '../audit/index.js';
import { Problem } from '../http/problem.js';
import type { TenantTx } from '../tenancy/index.js';
import { decodeToken } from './opaque-token.js';

export class CredentialRefusals {
  constructor(
    private readonly tenantTx: TenantTx,
    private readonly audit: AuditLog,
  ) {}

  async record(
    prefix: string,
    token: string,
    err: unknown,
    meta: { ip: string; requestId?: string | null },
  ): Promise<void> {
    const parsed = decodeToken(prefix, token);
    if (!parsed || !(err instanceof Problem)) return;
    await this.tenantTx
      .run(parsed.tenantId, async (sql) => {
        if (!(await sql.one('select 1 as known from erp.tenants where id = $1', [sql.tenantId]))) return;
        await this.audit.record(sql, {
          actor: { type: 'anonymous', id: null },
          action: 'auth.credential.refused',
          resource: { type: prefix === 'erpk_' ? 'apiKey' : 'refreshToken', id: parsed.id },
          change: { reason: err.code },
          requestId: meta.requestId ?? null,
          clientIp: meta.ip,
        });
      })
      .catch(() => {});
  }
}
