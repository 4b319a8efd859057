// OAuth apps (issue 16): a tenant admin registers a third-party app (its redirect URIs and the
// permissions it may ask for); a signed-in user consents to some of them (authorization code with
// PKCE, S256 only); the app exchanges the code at the token endpoint for an access token (an API
// key of the tenant scoped to the consented permissions, one hour); the user or an admin revokes
// the grant, or an admin the app. The protocol is @node-oauth/oauth2-server's; storage is model.ts.
import OAuth2Server from '@node-oauth/oauth2-server';
import { type AuditLog, requestAudit } from '../audit/index.js';
import type { ApiKeys } from '../auth/index.js';
import { defineRoute, Problem, schemas } from '../http/index.js';
import type { Authorizer } from '../rbac/index.js';
import type { TenantTx } from '../tenancy/index.js';
import { CODE_SECONDS, newClientId, oauthModel, TOKEN_SECONDS, tenantOfClient } from './model.js';

type Cradle = { apiKeys: ApiKeys; audit: AuditLog; authorizer: Authorizer; tenantTx: TenantTx };

const MANAGE = { permission: 'kernel.tenant.write' } as const;

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
  },
} as const;

const consent = {
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'],
  properties: {
    client_id: { type: 'string', maxLength: 200 },
    redirect_uri: { type: 'string', maxLength: 2000 },
    scope: { type: 'string', minLength: 1, maxLength: 5000, description: 'Space-separated permissions' },
    state: { type: 'string', minLength: 8, maxLength: 500 },
    code_challenge: { type: 'string', pattern: '^[A-Za-z0-9_-]{43,128}$' },
    code_challenge_method: { type: 'string', enum: ['S256'] },
  },
} as const;

/** RFC 6749 section 4.1.3 with RFC 7636's verifier; form-encoded, so every value is text. */
const tokenForm = {
  type: 'object',
  additionalProperties: false,
  required: ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier'],
  properties: {
    grant_type: { type: 'string', enum: ['authorization_code'] },
    code: { type: 'string', minLength: 1, maxLength: 500 },
    redirect_uri: { type: 'string', maxLength: 2000 },
    client_id: { type: 'string', maxLength: 200 },
    code_verifier: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$' },
  },
} as const;

const serverFor = (model: ReturnType<typeof oauthModel>) =>
  new OAuth2Server({
    model,
    accessTokenLifetime: TOKEN_SECONDS,
    authorizationCodeLifetime: CODE_SECONDS,
    allowEmptyState: false,
    // Public clients (no secret) prove themselves with PKCE.
    requireClientAuthentication: { authorization_code: false },
  });

/** oauth2-server errors as problems: its `name` is the RFC 6749 error code. */
function oauthProblem(err: unknown): Problem {
  const e = err as { code?: number; name?: string; message?: string };
  const status = e.code === 401 ? 401 : e.code === 503 ? 503 : 400;
  return new Problem(status, 'ERP_OAUTH_REFUSED', 'OAuth request refused', {
    detail: `${e.name ?? 'invalid_request'}: ${e.message ?? ''}`,
  });
}

export const oauthRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/apps',
    access: MANAGE,
    summary: 'Register a third-party app: its redirect URIs and the permissions it may ask for',
    tags: ['oauth'],
    body: newApp,
    status: 201,
    handler: async ({ sql, body, principal, scope, request }) => {
      const clientId = newClientId(sql.tenantId);
      const row = await sql.one<{ id: string }>(
        `insert into erp.oauth_apps (tenant_id, client_id, name, redirect_uris, scopes, created_by)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [sql.tenantId, clientId, body.name, body.redirectUris, body.scopes, principal.userId],
      );
      await (scope.cradle as Cradle).audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'kernel.oauth-app.registered',
        resource: { type: 'oauth-app', id: row!.id },
        change: { after: body },
      });
      return { id: row!.id, clientId, ...body };
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
                a.revoked_at is not null as revoked,
                coalesce((select json_agg(json_build_object('id', g.id, 'userId', g.user_id, 'scopes', g.scopes))
                   from erp.oauth_grants g where g.app_id = a.id and g.revoked_at is null), '[]') as grants
           from erp.oauth_apps a order by a.created_at`,
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/authorize',
    access: 'authenticated',
    summary: 'The signed-in user consents: answers the redirect (code and state) to send the browser to',
    tags: ['oauth'],
    body: consent,
    handler: async ({ sql, body, principal, scope, request }) => {
      if (principal.kind !== 'user' || !principal.userId)
        throw new Problem(403, 'ERP_OAUTH_USER_ONLY', 'Only a signed-in user can consent');
      const { apiKeys, authorizer, audit } = scope.cradle as Cradle;
      const model = oauthModel(sql, apiKeys, (_user, p) => authorizer.allows(principal, p));
      const req = new OAuth2Server.Request({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        query: {},
        body: { ...body, response_type: 'code' },
      });
      const res = new OAuth2Server.Response({});
      try {
        await serverFor(model).authorize(req, res, {
          authenticateHandler: { handle: () => ({ id: principal.userId }) },
        });
      } catch (err) {
        throw oauthProblem(err);
      }
      await audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'kernel.oauth.consented',
        resource: { type: 'oauth-app', id: body.client_id },
        change: { scopes: body.scope.split(' ') },
      });
      return { redirectTo: String(res.headers?.location) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/token',
    access: 'public',
    summary: 'Exchange an authorization code and its PKCE verifier for an access token (form-encoded)',
    tags: ['oauth'],
    body: tokenForm,
    handler: async ({ body, reply, scope, request }) => {
      const tenantId = tenantOfClient(body.client_id);
      if (!tenantId) throw oauthProblem({ code: 400, name: 'invalid_client', message: 'unknown client_id' });
      const { apiKeys, authorizer, tenantTx } = scope.cradle as Cradle;
      // At the exchange the user must still hold what they consented to.
      const allows = async (userId: string, p: string) =>
        (await authorizer.grantsOf(tenantId, userId)).allows(p);
      const req = new OAuth2Server.Request({
        method: 'POST',
        headers: request.headers as Record<string, string>,
        query: {},
        body,
      });
      const res = new OAuth2Server.Response({});
      const token = await tenantTx
        .run(tenantId, (sql) => serverFor(oauthModel(sql, apiKeys, allows)).token(req, res))
        .catch((err) => {
          throw oauthProblem(err);
        });
      reply.header('cache-control', 'no-store');
      return {
        access_token: token.accessToken,
        token_type: 'Bearer',
        expires_in: TOKEN_SECONDS,
        scope: (token.scope ?? []).join(' '),
      };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/oauth/grants/:id',
    access: 'authenticated',
    summary: 'Revoke a grant (its user, or an admin): its access token stops working at once',
    tags: ['oauth'],
    params: schemas.idParams,
    body: schemas.noBody,
    status: 204,
    handler: async ({ sql, params, principal, scope, request }) => {
      const { apiKeys, authorizer, audit } = scope.cradle as Cradle;
      const g = await sql.one<{ user_id: string; api_key_id: string }>(
        'select user_id, api_key_id from erp.oauth_grants where id = $1 and revoked_at is null',
        [params.id],
      );
      const admin = await authorizer.allows(principal, MANAGE.permission);
      if (!g || (g.user_id !== principal.userId && !admin))
        throw new Problem(404, 'ERP_OAUTH_GRANT_NOT_FOUND', 'No such grant');
      await sql.query('update erp.oauth_grants set revoked_at = now() where id = $1', [params.id]);
      await apiKeys.revoke(sql, g.api_key_id);
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
