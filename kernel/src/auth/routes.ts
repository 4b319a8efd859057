// /api/v1/auth: login, refresh, logout, who-am-I, password change, TOTP enrolment and recovery
// codes (each credential change behind a step-up), and the user's own sessions.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuditLog, requestAudit } from '../audit/index.js';
import { defineRoute, notFound, Problem } from '../http/index.js';
import type { Authorizer, PermissionRegistry } from '../rbac/index.js';
import type { LoginService, TokenPair } from './login.js';
import { hashPassword, passwordWeakness } from './passwords.js';
import type { RecoveryCodes } from './recovery-codes.js';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.js';
import type { RefreshTokens } from './refresh-tokens.js';
import * as s from './schemas.js';
import type { Sessions } from './sessions.js';
import type { StepUp } from './step-up.js';
import { accountKey, type CredentialThrottle } from './throttle.js';
import type { Totp } from './totp.js';

interface AuthCradle {
  loginService: LoginService;
  refreshTokens: RefreshTokens;
  sessions: Sessions;
  totp: Totp;
  authorizer: Authorizer;
  permissions: PermissionRegistry;
  audit: AuditLog;
  stepUp: StepUp;
  recoveryCodes: RecoveryCodes;
  throttle: CredentialThrottle;
}

const usersOnly = (kind: string) => {
  if (kind !== 'user')
    throw new Problem(403, 'ERP_USER_ONLY', 'Only a signed-in user may do this', {
      detail: 'API keys cannot change passwords or second factors.',
    });
};

const wrongPassword = () =>
  new Problem(400, 'ERP_PASSWORD_WRONG', 'Password is wrong', {
    errors: [{ field: '/body/password', message: 'does not match' }],
  });

/** Moves the refresh token out of the body into the HttpOnly cookie (refresh-cookie.ts says why). */
function inCookie(pair: TokenPair, cradle: AuthCradle, request: FastifyRequest, reply: FastifyReply) {
  const { refreshToken, ...rest } = pair;
  setRefreshCookie(request, reply, refreshToken, cradle.refreshTokens.ttlSeconds);
  return rest;
}

const userRow = 'select email, password_hash, totp_enabled from erp.users where tenant_id = $1 and id = $2';

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/login',
    access: 'public',
    summary: 'Sign in with email and password (and a TOTP code when MFA is on)',
    tags: ['auth'],
    body: s.loginBody,
    response: s.tokenPair,
    handler: async ({ body, scope, request, reply }) => {
      const { refreshIn, ...credentials } = body;
      const pair = await (scope.cradle as AuthCradle).loginService.login(credentials, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        requestId: String(request.id),
      });
      return refreshIn === 'cookie' ? inCookie(pair, scope.cradle as AuthCradle, request, reply) : pair;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    access: 'public',
    summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
    tags: ['auth'],
    body: s.refreshBody,
    response: s.tokenPair,
    handler: async ({ body, scope, request, reply }) => {
      // A body token wins; without one the cookie is used and the new token goes back into it.
      const fromCookie = body.refreshToken === undefined;
      const token = body.refreshToken ?? readRefreshCookie(request);
      if (!token)
        throw new Problem(401, 'ERP_REFRESH_MISSING', 'No refresh token', {
          detail: 'Send refreshToken in the body, or sign in again to get the session cookie.',
        });
      const pair = await (scope.cradle as AuthCradle).loginService.refresh(token, {
        ip: request.ip,
        requestId: String(request.id),
      });
      return fromCookie || body.refreshIn === 'cookie'
        ? inCookie(pair, scope.cradle as AuthCradle, request, reply)
        : pair;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/logout',
    access: 'authenticated',
    summary: 'End the current session: its access and refresh tokens stop working',
    tags: ['auth'],
    body: s.noBody,
    status: 204,
    handler: async ({ principal, sql, scope, request, reply }) => {
      const { sessions, audit } = scope.cradle as AuthCradle;
      clearRefreshCookie(request, reply);
      if (!principal.sessionId) return;
      await sessions.revoke(sql, principal.sessionId, 'logout');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.logout',
        resource: { type: 'session', id: principal.sessionId },
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/auth/me',
    access: 'authenticated',
    summary: 'The caller and the permissions it holds',
    tags: ['auth'],
    response: s.meResponse,
    handler: async ({ principal, sql, scope }) => {
      const { authorizer, permissions } = scope.cradle as AuthCradle;
      const user = principal.userId
        ? await sql.one<{ email: string; totp_enabled: boolean }>(userRow, [sql.tenantId, principal.userId])
        : undefined;
      const allowed: string[] = [];
      for (const p of permissions.list())
        if (await authorizer.allows(principal, p.name)) allowed.push(p.name);
      return {
        kind: principal.kind,
        tenantId: principal.tenantId,
        userId: principal.userId,
        apiKeyId: principal.apiKeyId,
        email: user?.email ?? null,
        mfaEnabled: user?.totp_enabled ?? false,
        permissions: allowed,
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password',
    access: 'authenticated',
    summary: 'Change the own password; every other session of the user is revoked',
    tags: ['auth'],
    body: s.passwordChangeBody,
    status: 204,
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const user = await (scope.cradle as AuthCradle).stepUp.verify(
        sql,
        principal,
        request,
        { password: body.currentPassword },
        {
          purpose: 'password-change',
          secondFactor: false,
          refusal: () =>
            new Problem(400, 'ERP_PASSWORD_WRONG', 'Current password is wrong', {
              errors: [{ field: '/body/currentPassword', message: 'does not match' }],
            }),
        },
      );
      const weak = passwordWeakness(body.newPassword, user.email);
      if (weak) {
        throw new Problem(400, 'ERP_PASSWORD_WEAK', 'Password too weak', {
          detail: `newPassword ${weak}`,
          errors: [{ field: '/body/newPassword', message: weak }],
        });
      }
      await sql.query(
        'update erp.users set password_hash = $3, password_changed_at = now(), updated_at = now() where tenant_id = $1 and id = $2',
        [sql.tenantId, principal.userId, await hashPassword(body.newPassword)],
      );
      await (scope.cradle as AuthCradle).sessions.revokeAllOfUser(
        sql,
        principal.userId!,
        'password-changed',
        principal.sessionId ?? undefined,
      );
      await (scope.cradle as AuthCradle).audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.password.changed',
        resource: { type: 'user', id: principal.userId },
        change: { otherSessionsRevoked: true },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/enroll',
    access: 'authenticated',
    summary: 'Start TOTP enrolment (needs the password): returns the seed and an otpauth:// URL (shown once)',
    tags: ['auth'],
    body: s.passwordProofBody,
    response: {
      type: 'object',
      required: ['secret', 'otpauthUrl'],
      properties: { secret: { type: 'string' }, otpauthUrl: { type: 'string' } },
    },
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const user = await (scope.cradle as AuthCradle).stepUp.verify(sql, principal, request, body, {
        purpose: 'mfa-enrol',
        secondFactor: false,
        refusal: wrongPassword,
      });
      if (user.totpEnabled) {
        throw new Problem(409, 'ERP_MFA_ALREADY_ENABLED', 'MFA already enabled', {
          detail: 'Disable it first to re-enrol.',
        });
      }
      const { totp, audit } = scope.cradle as AuthCradle;
      // The seed is returned to the user once and never recorded.
      const enrolment = await totp.enroll(sql, principal.userId!, user.email);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.enrolment-started',
        resource: { type: 'user', id: principal.userId },
      });
      return enrolment;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/confirm',
    access: 'authenticated',
    summary: 'Finish TOTP enrolment with a current code; returns the recovery codes (shown once)',
    tags: ['auth'],
    body: s.otpBody,
    response: s.recoveryCodesResponse,
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const { totp, audit, throttle, recoveryCodes } = scope.cradle as AuthCradle;
      const user = await sql.one<{ email: string; totp_enabled: boolean }>(userRow, [
        sql.tenantId,
        principal.userId,
      ]);
      if (user?.totp_enabled) {
        throw new Problem(409, 'ERP_MFA_ALREADY_ENABLED', 'MFA already enabled', {
          detail: 'Disable it first to re-enrol.',
        });
      }
      // A code check like any other: counted toward the same limits.
      const attempt = await throttle.begin({
        source: request.ip,
        account: accountKey(sql.tenantId, user?.email ?? ''),
      });
      if (!(await totp.check(sql, principal.userId!, body.otp))) {
        await audit.record(sql, {
          ...requestAudit(request, principal),
          action: 'auth.step-up.failed',
          resource: { type: 'user', id: principal.userId },
          change: { purpose: 'mfa-confirm', reason: 'wrong-second-factor' },
        });
        throw new Problem(400, 'ERP_MFA_INVALID', 'Invalid one-time code', {
          errors: [{ field: '/body/otp', message: 'is wrong, expired or already used (enrol first)' }],
          commitBeforeThrow: true,
        });
      }
      await attempt.succeeded();
      await totp.setEnabled(sql, principal.userId!, true);
      const codes = await recoveryCodes.regenerate(sql, principal.userId!);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.enabled',
        resource: { type: 'user', id: principal.userId },
        change: { recoveryCodes: codes.length },
      });
      return { recoveryCodes: codes };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/disable',
    access: 'authenticated',
    summary: 'Turn TOTP off (needs the password and a current code or a recovery code)',
    tags: ['auth'],
    body: s.fullProofBody,
    status: 204,
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const { totp, audit, stepUp, recoveryCodes } = scope.cradle as AuthCradle;
      await stepUp.verify(sql, principal, request, body, {
        purpose: 'mfa-disable',
        secondFactor: true,
        refusal: () => new Problem(400, 'ERP_MFA_INVALID', 'Password or one-time code is wrong'),
      });
      await totp.setEnabled(sql, principal.userId!, false);
      await recoveryCodes.clear(sql, principal.userId!);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.disabled',
        resource: { type: 'user', id: principal.userId },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/recovery-codes',
    access: 'authenticated',
    summary: 'Replace the recovery codes (needs the password and a current code); the old ones stop working',
    tags: ['auth'],
    body: s.fullProofBody,
    response: s.recoveryCodesResponse,
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const { audit, stepUp, recoveryCodes } = scope.cradle as AuthCradle;
      const user = await stepUp.verify(sql, principal, request, body, {
        purpose: 'mfa-recovery-codes',
        secondFactor: true,
        refusal: () => new Problem(400, 'ERP_MFA_INVALID', 'Password or one-time code is wrong'),
      });
      if (!user.totpEnabled)
        throw new Problem(409, 'ERP_MFA_NOT_ENABLED', 'MFA is not enabled', {
          detail: 'Recovery codes exist only while MFA is on.',
        });
      const codes = await recoveryCodes.regenerate(sql, principal.userId!);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.recovery-codes-regenerated',
        resource: { type: 'user', id: principal.userId },
      });
      return { recoveryCodes: codes };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/auth/sessions',
    access: 'authenticated',
    summary: "The caller's active sessions (device, address, created, last used); the current one is marked",
    tags: ['auth'],
    response: s.sessionList,
    handler: async ({ principal, sql }) => {
      usersOnly(principal.kind);
      const rows = await sql.query<Record<string, unknown>>(
        `select id, user_agent as "userAgent", ip, created_at as "createdAt", last_used_at as "lastUsedAt",
                expires_at as "expiresAt", id = $3 as current
           from erp.sessions
          where tenant_id = $1 and user_id = $2 and revoked_at is null and expires_at > now()
          order by created_at desc limit 200`,
        [sql.tenantId, principal.userId, principal.sessionId],
      );
      return { items: rows };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/auth/sessions/:id',
    access: 'authenticated',
    summary: "End one of the caller's sessions (404 for an unknown session or another user's)",
    tags: ['auth'],
    params: s.idParams,
    body: s.noBody,
    status: 204,
    handler: async ({ principal, sql, params, scope, request }) => {
      usersOnly(principal.kind);
      const { sessions, audit } = scope.cradle as AuthCradle;
      const own = await sql.one(
        `select id from erp.sessions
          where tenant_id = $1 and id = $2 and user_id = $3 and revoked_at is null`,
        [sql.tenantId, params.id, principal.userId],
      );
      if (!own) throw notFound('Session');
      await sessions.revoke(sql, params.id, 'revoked-by-user');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.session.revoked',
        resource: { type: 'session', id: params.id },
        change: { reason: 'revoked-by-user' },
      });
    },
  }),
];
