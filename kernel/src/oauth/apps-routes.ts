// Registering apps (public, or confidential with a secret shown once), listing them with their
// live grants, rotating a confidential app's secret, and revoking a grant.
import { type AuditLog, requestAudit } from '../audit/index.js';
import type { ApiKeys } from '../auth/index.js';
import { defineRoute, Problem, schemas } from '../http/index.js';
import type { Authorizer } from '../rbac/index.js';
import { newClientId, newClientSecret } from './clients.js';
import { revokeGrant } from './grants.js';

type Cradle = { apiKeys: ApiKeys; audit: AuditLog; authorizer: Authorizer };

export const MANAGE = { permission: 'kernel.tenant.write' } as const;

const newApp = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'redirectUris', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    redirectUris: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: {
        type: 'string',
        format: 'uri',
        pattern: '^(https://|http://(127\\.0\\.0\\.1|localhost)[:/])',
        maxLength: 2000,
      },
    },
    scopes: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      items: { type: 'string', maxLength: 200 },
    },
    confidential: {
      type: 'boolean',
      default: false,
      description:
        'A server-side app: gets a client secret (shown once) it must present at the token endpoint',
    },
  },
} as const;

export const appRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/apps',
    access: MANAGE,
    summary:
      'Register a third-party app: its redirect URIs, the permissions it may ask for, public or confidential',
    tags: ['oauth'],
    body: newApp,
    status: 201,
    handler: async ({ sql, body, principal, scope, request }) => {
      const clientId = newClientId(sql.tenantId);
      const secret = body.confidential ? newClientSecret() : null;
      const row = await sql.one<{ id: string }>(
        `insert into erp.oauth_apps (tenant_id, client_id, name, redirect_uris, scopes, created_by, client_secret_hash,
           secret_set_at) values ($1, $2, $3, $4, $5, $6, $7, case when $7::bytea is null then null else now() end)
         returning id`,
        [
          sql.tenantId,
          clientId,
          body.name,
          body.redirectUris,
          body.scopes,
          principal.userId,
          secret?.hash ?? null,
        ],
      );
      await (scope.cradle as Cradle).audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'kernel.oauth-app.registered',
        resource: { type: 'oauth-app', id: row!.id },
        change: { after: body },
      });
      // The secret is shown here once; only its hash is kept.
      return { id: row!.id, clientId, ...body, ...(secret ? { clientSecret: secret.secret } : {}) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/apps/:id/secret',
    access: MANAGE,
    summary: "Replace a confidential app's client secret (shown once; the old one stops at once)",
    tags: ['oauth'],
    params: schemas.idParams,
    body: schemas.noBody,
    handler: async ({ sql, params, principal, scope, request }) => {
      const secret = newClientSecret();
      const row = await sql.one<{ client_id: string }>(
        `update erp.oauth_apps set client_secret_hash = $2, secret_set_at = now()
          where id = $1 and revoked_at is null and client_secret_hash is not null returning client_id`,
        [params.id, secret.hash],
      );
      if (!row)
        throw new Problem(404, 'ERP_OAUTH_APP_NOT_FOUND', 'No such confidential app', {
          detail: 'Public apps have no secret; register a confidential app instead.',
        });
      await (scope.cradle as Cradle).audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'kernel.oauth-app.secret-rotated',
        resource: { type: 'oauth-app', id: params.id },
        change: null,
      });
      return { clientId: row.client_id, clientSecret: secret.secret };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/oauth/apps',
    access: { permission: 'kernel.tenant.read' },
    summary: 'The registered apps and their live grants',
    tags: ['oauth'],
    handler: async ({ sql }) => ({
      apps: await sql.query(
        `select a.id, a.client_id as "clientId", a.name, a.redirect_uris as "redirectUris", a.scopes,
                a.client_secret_hash is not null as confidential, a.secret_set_at as "secretSetAt",
                a.revoked_at is not null as revoked,
                coalesce((select json_agg(json_build_object('id', g.id, 'userId', g.user_id, 'scopes', g.scopes,
                                  'createdAt', g.created_at, 'expiresAt', g.expires_at) order by g.created_at)
                   from erp.oauth_grants g where g.app_id = a.id and g.revoked_at is null), '[]') as grants
           from erp.oauth_apps a order by a.created_at`,
      ),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/oauth/grants/:id',
    access: 'authenticated',
    summary: 'Revoke a grant (its user, or an admin): its access and refresh tokens stop working at once',
    tags: ['oauth'],
    params: schemas.idParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { apiKeys, authorizer, audit } = scope.cradle as Cradle;
      const g = await sql.one<{ user_id: string }>(
        'select user_id from erp.oauth_grants where id = $1 and revoked_at is null',
        [params.id],
      );
      const admin = await authorizer.allows(principal, MANAGE.permission);
      if (!g || (g.user_id !== principal.userId && !admin))
        throw new Problem(404, 'ERP_OAUTH_GRANT_NOT_FOUND', 'No such grant');
      await revokeGrant(sql, apiKeys, params.id);
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'kernel.oauth.revoked',
        resource: { type: 'oauth-grant', id: params.id },
        change: null,
      });
      return null;
    },
  }),
];
