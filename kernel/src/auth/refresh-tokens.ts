// Rotating refresh tokens. Each use returns a new token and marks the old one used; presenting a
// used token again means it was stolen or replayed, so the whole session (family) is revoked.
import type { AuditLog } from '../audit/index.js';
import { Problem, unauthenticated } from '../http/problem.js';
import type { Sql, TenantTx } from '../tenancy/index.js';
import { decodeToken, encodeToken, hashSecret, newSecret, secretMatches } from './opaque-token.js';
import type { Sessions } from './sessions.js';

const PREFIX = 'erpr_';

export class RefreshTokens {
  constructor(
    private readonly tenantTx: TenantTx,
    private readonly sessions: Sessions,
    readonly ttlSeconds: number,
    private readonly audit?: AuditLog,
  ) {}

  async issue(sql: Sql, sessionId: string): Promise<string> {
    const secret = newSecret();
    const row = await sql.one<{ id: string }>(
      `insert into erp.refresh_tokens (tenant_id, session_id, token_hash, expires_at)
       values ($1, $2, $3, now() + make_interval(secs => $4)) returning id`,
      [sql.tenantId, sessionId, hashSecret(secret), this.ttlSeconds],
    );
    return encodeToken(PREFIX, { tenantId: sql.tenantId, id: row!.id, secret });
  }

  /** Exchanges a refresh token for a new one; returns who it belongs to. */
  async rotate(
    token: string,
    meta: { ip?: string; requestId?: string } = {},
  ): Promise<{ tenantId: string; userId: string; sessionId: string; refreshToken: string }> {
    const parsed = decodeToken(PREFIX, token);
    if (!parsed) throw unauthenticated('The refresh token is malformed.', 'ERP_REFRESH_INVALID');
    return this.tenantTx.run(parsed.tenantId, async (sql) => {
      const row = await sql.one<{
        token_hash: Buffer;
        session_id: string;
        used_at: Date | null;
        expired: boolean;
        revoked_at: Date | null;
        user_id: string;
        user_status: string;
      }>(
        `select rt.token_hash, rt.session_id, rt.used_at, rt.expires_at <= now() as expired,
                s.revoked_at, s.user_id, u.status as user_status
           from erp.refresh_tokens rt
           join erp.sessions s on s.tenant_id = rt.tenant_id and s.id = rt.session_id
           join erp.users u on u.tenant_id = s.tenant_id and u.id = s.user_id
          where rt.tenant_id = $1 and rt.id = $2
          for update of rt, s`,
        [sql.tenantId, parsed.id],
      );
      if (!row || !secretMatches(parsed.secret, row.token_hash)) {
        throw unauthenticated('The refresh token is not valid.', 'ERP_REFRESH_INVALID');
      }
      if (row.used_at) {
        await this.sessions.revoke(sql, row.session_id, 'refresh-token-reuse');
        // Whoever presented the token is unknown (the user or a thief): the kernel acted.
        await this.audit?.record(sql, {
          actor: { type: 'system', id: 'kernel.auth', userId: row.user_id },
          action: 'auth.session.revoked',
          resource: { type: 'session', id: row.session_id },
          change: { reason: 'refresh-token-reuse', userId: row.user_id },
          requestId: meta.requestId ?? null,
          clientIp: meta.ip ?? null,
        });
        throw new Problem(401, 'ERP_REFRESH_REUSED', 'Refresh token reused', {
          detail: 'This refresh token was already used; the session has been revoked. Sign in again.',
          commitBeforeThrow: true,
        });
      }
      if (row.revoked_at) throw unauthenticated('The session has been revoked.', 'ERP_SESSION_REVOKED');
      if (row.expired) throw unauthenticated('The refresh token has expired.', 'ERP_REFRESH_EXPIRED');
      if (row.user_status !== 'active')
        throw unauthenticated('The account is disabled.', 'ERP_ACCOUNT_DISABLED');
      await sql.query('update erp.refresh_tokens set used_at = now() where tenant_id = $1 and id = $2', [
        sql.tenantId,
        parsed.id,
      ]);
      await sql.query('update erp.sessions set last_used_at = now() where tenant_id = $1 and id = $2', [
        sql.tenantId,
        row.session_id,
      ]);
      const refreshToken = await this.issue(sql, row.session_id);
      return { tenantId: sql.tenantId, userId: row.user_id, sessionId: row.session_id, refreshToken };
    });
  }

  /** The session a refresh token belongs to, if the token is genuine (for logout by refresh token). */
  async sessionOf(token: string): Promise<{ tenantId: string; sessionId: string } | null> {
    const parsed = decodeToken(PREFIX, token);
    if (!parsed) return null;
    const row = await this.tenantTx.run(parsed.tenantId, (sql) =>
      sql.one<{ token_hash: Buffer; session_id: string }>(
        'select token_hash, session_id from erp.refresh_tokens where tenant_id = $1 and id = $2',
        [sql.tenantId, parsed.id],
      ),
    );
    return row && secretMatches(parsed.secret, row.token_hash)
      ? { tenantId: parsed.tenantId, sessionId: row.session_id }
      : null;
  }
}
