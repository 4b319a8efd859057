// Password (+ TOTP or recovery code) login, with the defences a public login endpoint needs: every
// attempt counted by the credential throttle (per source, per account and source, per account; see
// throttle.ts), the same answer and the same work whether the account is unknown, the password
// wrong or the account throttled, and a second factor whose codes cannot be replayed.
import type { AuditLog } from '../audit/index.js';
import { Problem } from '../http/problem.js';
import type { Sql, Tenants, TenantTx } from '../tenancy/index.js';
import type { AccessTokens } from './access-tokens.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { RefreshTokens } from './refresh-tokens.js';
import type { CredentialRefusals } from './refusals.js';
import type { Sessions } from './sessions.js';
import { accountKey, type CredentialThrottle, signedInFrom, THROTTLED_CODE } from './throttle.js';
import type { Totp } from './totp.js';

export interface LoginInput {
  tenant: string;
  email: string;
  password: string;
  otp?: string;
  recoveryCode?: string;
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

const withCommit = (p: Problem) =>
  new Problem(p.status, p.code, p.title, { ...p.options, commitBeforeThrow: true });

export class LoginService {
  constructor(
    private readonly deps: {
      tenants: Tenants;
      tenantTx: TenantTx;
      sessions: Sessions;
      refreshTokens: RefreshTokens;
      accessTokens: AccessTokens;
      totp: Totp;
      recoveryCodes: RecoveryCodes;
      throttle: CredentialThrottle;
      refusals: CredentialRefusals;
      audit: AuditLog;
    },
  ) {}

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
    const { tenants, tenantTx, sessions, refreshTokens, accessTokens, totp, recoveryCodes, throttle } =
      this.deps;
    const tenant = await tenants.bySlug(input.tenant);
    const email = input.email.toLowerCase().slice(0, 254);
    const account = accountKey(tenant ? tenant.id : `slug:${input.tenant}`, email);
    if (tenant?.status !== 'active') {
      await throttle.begin({ source: meta.ip, account });
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
        totp_enabled: boolean;
      }>(
        'select id, password_hash, status, totp_enabled from erp.users where tenant_id = $1 and email = $2',
        [sql.tenantId, email],
      );
      // Throttled before any password work, known account or not: the same 429 either way.
      const attempt = await throttle
        .begin({
          source: meta.ip,
          account,
          knownSource: async () => (user ? signedInFrom(sql, user.id, meta.ip) : false),
        })
        .catch(async (err: unknown) => {
          if (!(err instanceof Problem) || err.code !== THROTTLED_CODE) throw err;
          await this.failure(sql, meta, email, user?.id ?? null, 'throttled');
          throw withCommit(err);
        });
      if (!user) {
        await burnPasswordCheck(input.password);
        await this.failure(sql, meta, email, null, 'unknown-user');
        throw invalidCredentials(true);
      }
      if (!(await verifyPassword(user.password_hash, input.password))) {
        await this.failure(sql, meta, email, user.id, 'wrong-password');
        throw invalidCredentials(true);
      }
      if (user.status !== 'active') {
        await attempt.neutral();
        await this.failure(sql, meta, email, user.id, 'account-disabled');
        throw new Problem(401, 'ERP_ACCOUNT_DISABLED', 'Account disabled', {
          detail: 'This account is disabled.',
          commitBeforeThrow: true,
        });
      }
      if (user.totp_enabled) {
        if (!input.otp && !input.recoveryCode) {
          await attempt.neutral();
          await this.failure(sql, meta, email, user.id, 'second-factor-required');
          throw new Problem(401, 'ERP_MFA_REQUIRED', 'Second factor required', {
            detail:
              'Repeat the request with the current code of your authenticator app in "otp" (or a recovery code in "recoveryCode").',
            commitBeforeThrow: true,
          });
        }
        const ok = input.otp
          ? await totp.check(sql, user.id, input.otp)
          : await recoveryCodes.use(sql, user.id, input.recoveryCode!);
        if (!ok) {
          await this.failure(sql, meta, email, user.id, 'wrong-second-factor');
          throw new Problem(401, 'ERP_MFA_INVALID', 'Invalid second factor', {
            detail: 'The one-time code is wrong, expired or already used.',
            commitBeforeThrow: true,
          });
        }
      }
      await attempt.succeeded();
      const sessionId = await sessions.create(sql, user.id, refreshTokens.ttlSeconds, meta);
      const refreshToken = await refreshTokens.issue(sql, sessionId);
      await this.deps.audit.record(sql, {
        actor: { type: 'user', id: user.id },
        action: 'auth.login.succeeded',
        resource: { type: 'session', id: sessionId },
        change: {
          email,
          secondFactor: user.totp_enabled ? (input.otp ? 'totp' : 'recovery-code') : false,
          userAgent: meta.userAgent?.slice(0, 300) ?? null,
        },
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

  /** A refresh token's use counts toward its source's failure limit when the token is refused. */
  async refresh(token: string, meta: { ip: string; requestId?: string }): Promise<TokenPair> {
    const attempt = await this.deps.throttle.begin({ source: meta.ip });
    const r = await this.deps.refreshTokens.rotate(token, meta).catch(async (err: unknown) => {
      // Reuse is audited (with the session's revocation) where it is detected.
      if (!(err instanceof Problem && err.code === 'ERP_REFRESH_REUSED'))
        await this.deps.refusals.record('erpr_', token, err, meta);
      throw err;
    });
    await attempt.succeeded();
    const access = await this.deps.accessTokens.issue(r);
    return {
      accessToken: access.token,
      refreshToken: r.refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    };
  }
}
