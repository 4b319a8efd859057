// An administrator's reset of another user's password or second factor. Same gate as every other
// action on a user (act-on-user.ts: IAM lock, dominance, audited refusal), plus: a signed-in user
// only, and never one's own account (that has the step-up routes). The user's sessions end.
import { requestAudit } from '../audit/index.js';
import { accountKey, hashPassword, passwordWeakness } from '../auth/index.js';
import { defineRoute, Problem, schemas } from '../http/index.js';
import { actOnUser } from './act-on-user.js';
import type { IamCradle } from './types.js';

const adminPasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['newPassword'],
  properties: { newPassword: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

const rules = { userOnly: true, notSelf: true };

export const credentialRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/users/:id/password',
    access: { permission: 'iam.users.write' },
    summary:
      "Set another user's password (an administrator's reset; needs every permission the user holds); the user's sessions end",
    tags: ['iam'],
    params: schemas.idParams,
    body: adminPasswordBody,
    status: 204,
    handler: async ({ principal, sql, params, body, scope, request }) => {
      const { sessions, throttle, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      await actOnUser(sql, actor, params.id, 'auth.password.reset-by-admin', rules);
      const user = await sql.one<{ email: string }>(
        'select email from erp.users where tenant_id = $1 and id = $2',
        [sql.tenantId, params.id],
      );
      const weak = passwordWeakness(body.newPassword, user!.email);
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
      await sessions.revokeAllOfUser(sql, params.id, 'password-reset-by-admin');
      await throttle.clearAccount(accountKey(sql.tenantId, user!.email), sql);
      await audit.record(sql, {
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
      "Turn off another user's second factor and recovery codes (they enrol again; needs every permission the user holds); their sessions end",
    tags: ['iam'],
    params: schemas.idParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ principal, sql, params, scope, request }) => {
      const { totp, recoveryCodes, sessions, audit } = scope.cradle as IamCradle;
      await actOnUser(sql, { principal, request, audit }, params.id, 'auth.mfa.reset-by-admin', rules);
      await totp.setEnabled(sql, params.id, false);
      await recoveryCodes.clear(sql, params.id);
      await sessions.revokeAllOfUser(sql, params.id, 'mfa-reset-by-admin');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.mfa.reset-by-admin',
        resource: { type: 'user', id: params.id },
        change: { sessionsRevoked: true },
      });
    },
  }),
];
