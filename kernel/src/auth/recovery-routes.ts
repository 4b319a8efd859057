// Account recovery: password reset through a one-time link mailed to the user (public), and an
// administrator's reset of another user's password or second factor (permission-checked,
// dominance-checked, audited; the user's sessions end).
import type { FastifyRequest } from 'fastify';
import { type AuditLog, requestAudit } from '../audit/index.js';
import { defineRoute, notFound, Problem } from '../http/index.js';
import type { Principal } from '../principal/index.js';
import type { Authorizer, PermissionRegistry } from '../rbac/index.js';
import type { Sql } from '../tenancy/index.js';
import type { PasswordResets } from './password-reset.js';
import { hashPassword, passwordWeakness } from './passwords.js';
import type { RecoveryCodes } from './recovery-codes.js';
import * as s from './schemas.js';
import type { Sessions } from './sessions.js';
import { accountKey, type CredentialThrottle } from './throttle.js';
import type { Totp } from './totp.js';

interface RecoveryCradle {
  passwordResets: PasswordResets;
  sessions: Sessions;
  totp: Totp;
  recoveryCodes: RecoveryCodes;
  throttle: CredentialThrottle;
  authorizer: Authorizer;
  permissions: PermissionRegistry;
  audit: AuditLog;
}

const email = { type: 'string', format: 'email', maxLength: 254 } as const;

const resetRequestBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'email'],
  properties: {
    tenant: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' },
    email,
  },
} as const;

const resetConfirmBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'newPassword'],
  properties: {
    token: { type: 'string', minLength: 10, maxLength: 200 },
    newPassword: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

const adminPasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['newPassword'],
  properties: { newPassword: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

const accepted = {
  type: 'object',
  required: ['detail'],
  properties: { detail: { type: 'string' } },
} as const;

/**
 * The target user of an administrator's credential reset: in the tenant, not the caller (who has
 * the step-up routes), and holding no permission the caller lacks.
 */
async function targetOf(
  sql: Sql,
  principal: Principal,
  id: string,
  cradle: RecoveryCradle,
): Promise<{ email: string }> {
  if (principal.kind !== 'user')
    throw new Problem(403, 'ERP_USER_ONLY', 'Only a signed-in user may do this', {
      detail: "API keys cannot reset another user's credentials.",
    });
  if (id === principal.userId)
    throw new Problem(403, 'ERP_USE_SELF_SERVICE', 'Use the self-service routes for your own account', {
      detail: 'Your own password and second factor change through /api/v1/auth with your current password.',
    });
  const user = await sql.one<{ email: string }>(
    'select email from erp.users where tenant_id = $1 and id = $2',
    [sql.tenantId, id],
  );
  if (!user) throw notFound('User');
  const held = (await cradle.authorizer.grantsOf(sql.tenantId, id)).expand(
    cradle.permissions.list().map((p) => p.name),
  );
  for (const p of held) {
    if (!(await cradle.authorizer.allows(principal, p)))
      throw new Problem(403, 'ERP_TARGET_HOLDS_MORE', 'The user holds permissions you do not', {
        detail: `Resetting this user's credentials needs you to hold ${p} yourself.`,
      });
  }
  return user;
}

const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });

export const recoveryRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    access: 'public',
    summary: 'Ask for a password-reset link by mail (always 202, whether or not the account exists)',
    tags: ['auth'],
    body: resetRequestBody,
    response: accepted,
    status: 202,
    handler: async ({ body, scope, request }) => {
      await (scope.cradle as RecoveryCradle).passwordResets.request(body, meta(request));
      return { detail: 'If the account exists, a reset link is on its way.' };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    access: 'public',
    summary: 'Set a new password with the token of a reset link; every session of the user ends',
    tags: ['auth'],
    body: resetConfirmBody,
    status: 204,
    handler: async ({ body, scope, request }) =>
      (scope.cradle as RecoveryCradle).passwordResets.confirm(body, meta(request)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/users/:id/password',
    access: { permission: 'iam.users.write' },
    summary: "Set another user's password (an administrator's reset); the user's sessions end",
    tags: ['iam'],
    params: s.idParams,
    body: adminPasswordBody,
    status: 204,
    handler: async ({ principal, sql, params, body, scope, request }) => {
      const cradle = scope.cradle as RecoveryCradle;
      const user = await targetOf(sql, principal, params.id, cradle);
      const weak = passwordWeakness(body.newPassword, user.email);
      if (weak)
        throw new Problem(400, 'ERP_PASSWORD_WEAK', 'Password too weak', {
          detail: `newPassword ${weak}`,
          errors: [{ field: '/body/newPassword', message: weak }],
        });
      await sql.query(
        `update erp.users set password_hash = $3, password_changed_at = now(), updated_at = now()
          where tenant_id = $1 and id = $2`,
        [sql.tenantId, params.id, await hashPassword(body.newPassword)],
      );
      await cradle.sessions.revokeAllOfUser(sql, params.id, 'password-reset-by-admin');
      await cradle.throttle.clearAccount(accountKey(sql.tenantId, user.email));
      await cradle.audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.password.reset-by-admin',
        resource: { type: 'user', id: params.id },
        change: { sessionsRevoked: true },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/users/:id/mfa/reset',
    access: { permission: 'iam.users.write' },
    summary:
      "Turn off another user's second factor and recovery codes (they enrol again); their sessions end",
    tags: ['iam'],
    params: s.idParams,
    body: s.noBody,
    status: 204,
    handler: async ({ principal, sql, params, scope, request }) => {
      const cradle = scope.cradle as RecoveryCradle;
      await targetOf(sql, principal, params.id, cradle);
      await cradle.totp.setEnabled(sql, params.id, false);
      await cradle.recoveryCodes.clear(sql, params.id);
      await cradle.sessions.revokeAllOfUser(sql, params.id, 'mfa-reset-by-admin');
      await cradle.audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.reset-by-admin',
        resource: { type: 'user', id: params.id },
        change: { sessionsRevoked: true },
      });
    },
  }),
];
