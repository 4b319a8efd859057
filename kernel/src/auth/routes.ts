// /api/v1/auth: login, refresh, logout, who-am-I, password change and TOTP enrolment.

import { type AuditLog, requestAudit } from '../audit/index.js';
import { defineRoute, Problem, schemas } from '../http/index.js';
import type { Authorizer, PermissionRegistry } from '../rbac/index.js';
import type { LoginService } from './login.js';
import { hashPassword, passwordWeakness, verifyPassword } from './passwords.js';
import type { RefreshTokens } from './refresh-tokens.js';
import * as s from './schemas.js';
import type { Sessions } from './sessions.js';
import type { Totp } from './totp.js';

interface AuthCradle {
  loginService: LoginService;
  refreshTokens: RefreshTokens;
  sessions: Sessions;
  totp: Totp;
  authorizer: Authorizer;
  permissions: PermissionRegistry;
  audit: AuditLog;
}

const usersOnly = (kind: string) => {
  if (kind !== 'user')
    throw new Problem(403, 'ERP_USER_ONLY', 'Only a signed-in user may do this', {
      detail: 'API keys cannot change passwords or second factors.',
    });
};

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
    handler: async ({ body, scope, request }) =>
      (scope.cradle as AuthCradle).loginService.login(body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        requestId: String(request.id),
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    access: 'public',
    summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
    tags: ['auth'],
    body: s.refreshBody,
    response: s.tokenPair,
    handler: async ({ body, scope, request }) =>
      (scope.cradle as AuthCradle).loginService.refresh(body.refreshToken, {
        ip: request.ip,
        requestId: String(request.id),
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/logout',
    access: 'authenticated',
    summary: 'End the current session: its access and refresh tokens stop working',
    tags: ['auth'],
    body: schemas.noBody,
    status: 204,
    handler: async ({ principal, sql, scope, request }) => {
      const { sessions, audit } = scope.cradle as AuthCradle;
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
      const user = await sql.one<{ email: string; password_hash: string }>(userRow, [
        sql.tenantId,
        principal.userId,
      ]);
      if (!user || !(await verifyPassword(user.password_hash, body.currentPassword))) {
        throw new Problem(400, 'ERP_PASSWORD_WRONG', 'Current password is wrong', {
          errors: [{ field: '/body/currentPassword', message: 'does not match' }],
        });
      }
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
    summary: 'Start TOTP enrolment: returns the seed and an otpauth:// URL (shown once)',
    tags: ['auth'],
    body: schemas.noBody,
    response: {
      type: 'object',
      required: ['secret', 'otpauthUrl'],
      properties: { secret: { type: 'string' }, otpauthUrl: { type: 'string' } },
    },
    handler: async ({ principal, sql, scope, request }) => {
      usersOnly(principal.kind);
      const user = await sql.one<{ email: string; totp_enabled: boolean }>(userRow, [
        sql.tenantId,
        principal.userId,
      ]);
      if (user?.totp_enabled) {
        throw new Problem(409, 'ERP_MFA_ALREADY_ENABLED', 'MFA already enabled', {
          detail: 'Disable it first to re-enrol.',
        });
      }
      const { totp, audit } = scope.cradle as AuthCradle;
      // The seed is returned to the user once and never recorded.
      const enrolment = await totp.enroll(sql, principal.userId!, user?.email ?? principal.userId!);
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
    summary: 'Finish TOTP enrolment with a current code; from then on login needs a code',
    tags: ['auth'],
    body: s.otpBody,
    status: 204,
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const { totp, audit } = scope.cradle as AuthCradle;
      if (!(await totp.check(sql, principal.userId!, body.otp))) {
        throw new Problem(400, 'ERP_MFA_INVALID', 'Invalid one-time code', {
          errors: [{ field: '/body/otp', message: 'is wrong, expired or already used (enrol first)' }],
        });
      }
      await totp.setEnabled(sql, principal.userId!, true);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.enabled',
        resource: { type: 'user', id: principal.userId },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/mfa/disable',
    access: 'authenticated',
    summary: 'Turn TOTP off (needs the password and a current code)',
    tags: ['auth'],
    body: s.mfaDisableBody,
    status: 204,
    handler: async ({ principal, sql, body, scope, request }) => {
      usersOnly(principal.kind);
      const { totp, audit } = scope.cradle as AuthCradle;
      const user = await sql.one<{ password_hash: string }>(userRow, [sql.tenantId, principal.userId]);
      const ok =
        user &&
        (await verifyPassword(user.password_hash, body.password)) &&
        (await totp.check(sql, principal.userId!, body.otp));
      if (!ok) throw new Problem(400, 'ERP_MFA_INVALID', 'Password or one-time code is wrong');
      await totp.setEnabled(sql, principal.userId!, false);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.disabled',
        resource: { type: 'user', id: principal.userId },
      });
    },
  }),
];
