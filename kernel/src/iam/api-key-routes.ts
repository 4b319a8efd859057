// /api/v1/iam/api-keys: create (secret shown once), list, rotate, revoke.
import { requestAudit } from '../audit/index.js';
import { defineRoute, notFound, Problem, schemas } from '../http/index.js';
import { checkGrants } from './grants.js';
import * as s from './schemas.js';
import type { IamCradle } from './types.js';

const keySelect = `select id, name, hint, permissions, created_by as "createdBy", created_at as "createdAt",
                          expires_at as "expiresAt", revoked_at as "revokedAt", last_used_at as "lastUsedAt"
                     from erp.api_keys`;

export const apiKeyRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/iam/api-keys',
    access: { permission: 'iam.apikeys.read' },
    summary: 'List API keys (never their secrets)',
    tags: ['iam'],
    response: s.apiKeyList,
    handler: async ({ sql }) => ({
      items: await sql.query(`${keySelect} where tenant_id = $1 order by created_at desc`, [sql.tenantId]),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/api-keys',
    access: { permission: 'iam.apikeys.write' },
    summary: 'Create an API key scoped to permissions you hold; the secret is returned once',
    tags: ['iam'],
    body: s.createApiKeyBody,
    response: s.apiKeySecret,
    status: 201,
    handler: async ({ sql, body, principal, scope, request }) => {
      const { permissions, authorizer, apiKeys, audit } = scope.cradle as IamCradle;
      if (principal.kind !== 'user') {
        throw new Problem(403, 'ERP_USER_ONLY', 'Only a signed-in user may create API keys');
      }
      await checkGrants(body.permissions, '/body/permissions', principal, { permissions, authorizer });
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new Problem(400, 'ERP_VALIDATION', 'Invalid request', {
          errors: [{ field: '/body/expiresAt', message: 'must be in the future' }],
        });
      }
      const created = await apiKeys.create(sql, {
        name: body.name,
        permissions: body.permissions,
        expiresAt,
        createdBy: principal.userId,
      });
      // The secret is in the response only; the entry keeps the key's last four characters.
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.apikey.created',
        resource: { type: 'apiKey', id: created.id },
        change: {
          after: {
            name: body.name,
            permissions: body.permissions,
            expiresAt: body.expiresAt ?? null,
            hint: created.hint,
          },
        },
      });
      return created;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/iam/api-keys/:id/rotate',
    access: { permission: 'iam.apikeys.write' },
    summary: 'Replace the key\u2019s secret; the old one stops working immediately',
    tags: ['iam'],
    params: schemas.idParams,
    response: s.apiKeySecret,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { apiKeys, audit } = scope.cradle as IamCradle;
      const rotated = await apiKeys.rotate(sql, params.id);
      if (!rotated) throw notFound('API key');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.apikey.rotated',
        resource: { type: 'apiKey', id: params.id },
        change: { hint: rotated.hint },
      });
      return { id: params.id, ...rotated };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/iam/api-keys/:id',
    access: { permission: 'iam.apikeys.write' },
    summary: 'Revoke an API key',
    tags: ['iam'],
    params: schemas.idParams,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { apiKeys, audit } = scope.cradle as IamCradle;
      if (!(await apiKeys.revoke(sql, params.id))) throw notFound('API key');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.apikey.revoked',
        resource: { type: 'apiKey', id: params.id },
      });
    },
  }),
];
