// /api/v1/iam/api-keys: create (secret shown once), list, rotate, revoke.
import { requestAudit } from '../audit/index.js';
import { defineRoute, notFound, Problem, schemas } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import { apiKeyGrants, type IamActor, requireDominance, requireUserPrincipal } from './dominance.js';
import { checkGrants } from './grants.js';
import { lockTenantIam } from './last-admin.js';
import * as s from './schemas.js';
import type { IamCradle } from './types.js';

const keySelect = `select id, name, hint, permissions, created_by as "createdBy", created_at as "createdAt",
                          expires_at as "expiresAt", revoked_at as "revokedAt", last_used_at as "lastUsedAt"
                     from erp.api_keys`;

/**
 * Locks the tenant's IAM changes, then the key, and refuses unless the caller holds everything the
 * key may do (its scopes within its creator's rights): otherwise rotating or revoking someone
 * else's key would hand its power, or its secret, to a weaker principal.
 */
async function actOnKey(sql: Sql, actor: IamActor, id: string, action: string): Promise<void> {
  await lockTenantIam(sql);
  const key = await sql.one<{ permissions: string[]; created_by: string | null }>(
    'select permissions, created_by from erp.api_keys where tenant_id = $1 and id = $2 for update',
    [sql.tenantId, id],
  );
  if (!key) throw notFound('API key');
  await requireDominance(
    sql,
    actor,
    { action, resource: { type: 'apiKey', id } },
    await apiKeyGrants(sql, { permissions: key.permissions, createdBy: key.created_by }),
    'this API key',
  );
}

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
    method: 'GET',
    url: '/api/v1/iam/api-keys/:id',
    access: { permission: 'iam.apikeys.read' },
    summary: 'View an API key (never its secret)',
    tags: ['iam'],
    params: schemas.idParams,
    response: s.apiKey,
    handler: async ({ sql, params }) => {
      const row = await sql.one(`${keySelect} where tenant_id = $1 and id = $2`, [sql.tenantId, params.id]);
      if (!row) throw notFound('API key');
      return row;
    },
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
      const { permissions, apiKeys, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      const attempt = { action: 'iam.apikey.create', resource: { type: 'apiKey', id: 'new' } };
      await requireUserPrincipal(sql, actor, attempt);
      await checkGrants(sql, actor, attempt, body.permissions, '/body/permissions', permissions);
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
    summary:
      'Replace the key\u2019s secret; the old one stops working immediately. Needs every permission the key holds; not for API keys',
    tags: ['iam'],
    params: schemas.idParams,
    body: schemas.noBody,
    response: s.apiKeySecret,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { apiKeys, audit } = scope.cradle as IamCradle;
      const actor = { principal, request, audit };
      await requireUserPrincipal(sql, actor, {
        action: 'iam.apikey.rotate',
        resource: { type: 'apiKey', id: params.id },
      });
      await actOnKey(sql, actor, params.id, 'iam.apikey.rotate');
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
    summary: 'Revoke an API key (needs every permission the key holds)',
    tags: ['iam'],
    params: schemas.idParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { apiKeys, audit } = scope.cradle as IamCradle;
      await actOnKey(sql, { principal, request, audit }, params.id, 'iam.apikey.revoke');
      if (!(await apiKeys.revoke(sql, params.id))) throw notFound('API key');
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'iam.apikey.revoked',
        resource: { type: 'apiKey', id: params.id },
      });
    },
  }),
];
