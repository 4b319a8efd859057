// Password (+ TOTP) login, with the defences a public login endpoint needs: a per-IP rate limit,
// a per-account lockout after repeated failures, the same answer and the same time whether or not
// the account exists, and a second factor whose codes cannot be replayed.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuditLog } from '../audit/index.js';
import { Problem } from '../http/problem.js';
import type { Sql, Tenants, TenantTx } from '../tenancy/index.js';
import type { AccessTokens } from './access-tokens.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import type { RefreshTokens } from './refresh-tokens.js';
import type { Sessions } from './sessions.js';
import type { Totp } from './totp.js';

export interface LoginInput {
  tenant: string;
  email: string;
  password: string;
  otp?: string;
}

export interface LoginMeta {
  ip: string;
  userAgent?: string;
  requestId?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const invalidCredentials = (commit = false) =>
  new Problem(401, 'ERP_AUTH_INVALID_CREDENTIALS', 'Invalid credentials', {
    detail: 'The tenant, email or password is not correct.',
    commitBeforeThrow: commit,
  });

export class LoginService {
  private readonly perIp: RateLimiterMemory;

  constructor(
    private readonly deps: {
      tenants: Tenants;
      tenantTx: TenantTx;
      sessions: Sessions;
      refreshTokens: RefreshTokens;
      accessTokens: AccessTokens;
      totp: Totp;
      lockout: { threshold: number; seconds: number };
      loginsPerIpPerMinute: number;
      audit: AuditLog;
    },
  ) {
    this.perIp = new RateLimiterMemory({ points: deps.loginsPerIpPerMinute, duration: 60 });
  }

  // Every outcome inside a known tenant is an audit entry committed with the attempt, also when the
  // answer is an error (those Problems commit first). An unknown tenant has no chain to record in:
  // that attempt is only in the request log.
  private failure(sql: Sql, meta: LoginMeta, email: string, userId: string | null, reason: string) {
    return this.deps.audit.record(sql, {
      actor: { type: 'anonymous', id: null },
      action: 'auth.login.failed',
      resource: { type: 'user', id: userId },
      change: { email, reason },
      requestId: meta.requestId ?? null,
      clientIp: meta.ip,
    });
  }

  async login(input: LoginInput, meta: LoginMeta): Promise<TokenPair> {
    try {
      await this.perIp.consume(meta.ip);
    } catch (res) {
      const wait = res instanceof RateLimiterRes ? res.msBeforeNext / 1000 : 60;
      throw new Problem(429, 'ERP_RATE_LIMITED', 'Too many login attempts', {
        detail: 'Too many login attempts from this address; wait before trying again.',
        retryAfterSeconds: wait,
      });
    }
    const { tenants, tenantTx, sessions, refreshTokens, accessTokens, totp, lockout } = this.deps;
    const tenant = await tenants.bySlug(input.tenant);
    const email = input.email.toLowerCase().slice(0, 254);
    if (tenant?.status !== 'active') {
      await burnPasswordCheck(input.password);
      if (tenant)
        await tenantTx.run(tenant.id, (sql) => this.failure(sql, meta, email, null, 'tenant-suspended'));
      throw invalidCredentials();
    }
    const issued = await tenantTx.run(tenant.id, async (sql) => {
      const user = await sql.one<{
        id: string;
        password_hash: string;
        status: string;
        failed_logins: number;
        locked_for: number | null;
        totp_enabled: boolean;
      }>(
        `select id, password_hash, status, failed_logins, totp_enabled,
                ceil(extract(epoch from (locked_until - now())))::int as locked_for
           from erp.users where tenant_id = $1 and email = $2 for update`,
        [sql.tenantId, email],
      );
      if (!user) {
        await burnPasswordCheck(input.password);
        await this.failure(sql, meta, email, null, 'unknown-user');
        throw invalidCredentials(true);
      }
      if (user.locked_for !== null && user.locked_for > 0) {
        await this.failure(sql, meta, email, user.id, 'locked');
        throw new Problem(423, 'ERP_ACCOUNT_LOCKED', 'Account temporarily locked', {
          detail: 'Too many failed sign-ins; the account is locked for a while.',
          retryAfterSeconds: user.locked_for,
          commitBeforeThrow: true,
        });
      }
      const failed = async (reason: string) => {
        const locks = user.failed_logins + 1 >= lockout.threshold;
        await this.failure(sql, meta, email, user.id, locks ? `${reason}; account locked` : reason);
        await sql.query(
          `update erp.users set failed_logins = case when $3 then 0 else failed_logins + 1 end,
                  locked_until = case when $3 then now() + make_interval(secs => $4) else locked_until end
            where tenant_id = $1 and id = $2`,
          [sql.tenantId, user.id, locks, lockout.seconds],
        );
      };
      if (!(await verifyPassword(user.password_hash, input.password))) {
        await failed('wrong-password');
        throw invalidCredentials(true);
      }
      if (user.status !== 'active') {
        await this.failure(sql, meta, email, user.id, 'account-disabled');
        throw new Problem(401, 'ERP_ACCOUNT_DISABLED', 'Account disabled', {
          detail: 'This account is disabled.',
          commitBeforeThrow: true,
        });
      }
      if (user.totp_enabled) {
        if (!input.otp) {
          await this.failure(sql, meta, email, user.id, 'second-factor-required');
          throw new Problem(401, 'ERP_MFA_REQUIRED', 'Second factor required', {
            detail: 'Repeat the request with the current code of your authenticator app in "otp".',
            commitBeforeThrow: true,
          });
        }
        if (!(await totp.check(sql, user.id, input.otp))) {
          await failed('wrong-second-factor');
          throw new Problem(401, 'ERP_MFA_INVALID', 'Invalid second factor', {
            detail: 'The one-time code is wrong, expired or already used.',
            commitBeforeThrow: true,
          });
        }
      }
      await sql.query(
        'update erp.users set failed_logins = 0, locked_until = null where tenant_id = $1 and id = $2',
        [sql.tenantId, user.id],
      );
      const sessionId = await sessions.create(sql, user.id, refreshTokens.ttlSeconds, meta);
      const refreshToken = await refreshTokens.issue(sql, sessionId);
      await this.deps.audit.record(sql, {
        actor: { type: 'user', id: user.id },
        action: 'auth.login.succeeded',
        resource: { type: 'session', id: sessionId },
        change: { email, secondFactor: user.totp_enabled, userAgent: meta.userAgent?.slice(0, 300) ?? null },
        requestId: meta.requestId ?? null,
        clientIp: meta.ip,
      });
      return { userId: user.id, sessionId, refreshToken };
    });
    const access = await accessTokens.issue({ tenantId: tenant.id, ...issued });
    return {
      accessToken: access.token,
      refreshToken: issued.refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    };
  }

  async refresh(token: string, meta: { ip?: string; requestId?: string } = {}): Promise<TokenPair> {
    const r = await this.deps.refreshTokens.rotate(token, meta);
    const access = await this.deps.accessTokens.issue(r);
    return {
      accessToken: access.token,
      refreshToken: r.refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    };
  }
}
