// The protocol endpoints: consent (authorization code with PKCE S256), the token endpoint
// (authorization_code and refresh_token grants; confidential clients authenticate with
// client_secret_basic or client_secret_post), revocation (RFC 7009) and introspection (RFC 7662).
// The protocol is @node-oauth/oauth2-server's where it has it; storage is model.ts and grants.ts.
import OAuth2Server from '@node-oauth/oauth2-server';
import { type AuditLog, requestAudit } from '../audit/index.js';
import type { ApiKeys } from '../auth/index.js';
import { defineRoute, Problem } from '../http/index.js';
import type { Authorizer } from '../rbac/index.js';
import type { TenantTx } from '../tenancy/index.js';
import { clientCredentials, tenantOfClient } from './clients.js';
import { CODE_SECONDS, revokeGrant, TOKEN_SECONDS } from './grants.js';
import { oauthModel } from './model.js';
import { invalidClient, oauthProblem } from './problems.js';
import { introspect, revokeToken } from './token-state.js';

type Cradle = { apiKeys: ApiKeys; audit: AuditLog; authorizer: Authorizer; tenantTx: TenantTx };

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

const clientAuth = {
  client_id: { type: 'string', maxLength: 200 },
  client_secret: { type: 'string', maxLength: 200 },
} as const;

/** RFC 6749 §4.1.3 (with RFC 7636's verifier) and §6; form-encoded, so every value is text. */
const tokenForm = {
  type: 'object',
  additionalProperties: false,
  required: ['grant_type'],
  properties: {
    grant_type: { type: 'string', enum: ['authorization_code', 'refresh_token'] },
    code: { type: 'string', minLength: 1, maxLength: 500 },
    redirect_uri: { type: 'string', maxLength: 2000 },
    code_verifier: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$' },
    refresh_token: { type: 'string', minLength: 1, maxLength: 500 },
    scope: { type: 'string', maxLength: 5000 },
    ...clientAuth,
  },
} as const;

/** RFC 7009 §2.1 and RFC 7662 §2.1. */
const tokenQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 500 },
    token_type_hint: { type: 'string', enum: ['access_token', 'refresh_token'] },
    ...clientAuth,
  },
} as const;

const serverFor = (model: ReturnType<typeof oauthModel>) =>
  new OAuth2Server({
    model,
    accessTokenLifetime: TOKEN_SECONDS,
    authorizationCodeLifetime: CODE_SECONDS,
    allowEmptyState: false,
    // Public clients (no secret) prove themselves with PKCE and rotation; the model refuses a
    // confidential client that does not present its secret.
    requireClientAuthentication: { authorization_code: false, refresh_token: false },
    alwaysIssueNewRefreshToken: true,
  });

/** The client's tenant and credentials; bad or conflicting credentials are invalid_client. */
function clientOf(headers: Record<string, unknown>, body: { client_id?: string; client_secret?: string }) {
  const creds = clientCredentials(headers.authorization as string | undefined, body);
  const tenantId = creds.clientId ? tenantOfClient(creds.clientId) : null;
  if (!tenantId || creds.conflicting) throw invalidClient();
  return { ...creds, clientId: creds.clientId!, tenantId };
}

export const flowRoutes = [
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
      const model = oauthModel(sql, apiKeys, (_user, p) => authorizer.allows(principal, p), {
        authorizing: true,
      });
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
        throw oauthProblem(err, false);
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
    summary:
      'Exchange an authorization code (with its PKCE verifier) or a refresh token for tokens (form-encoded)',
    tags: ['oauth'],
    body: tokenForm,
    handler: async ({ body, reply, scope, request }) => {
      const { tenantId, clientId, clientSecret } = clientOf(request.headers, body);
      const { apiKeys, audit, authorizer, tenantTx } = scope.cradle as Cradle;
      // At the exchange (and at every refresh) the user must still hold what they consented to.
      const allows = async (userId: string, p: string) =>
        (await authorizer.grantsOf(tenantId, userId)).allows(p);
      // The library reads a Basic header without RFC 6749 §2.3.1's form-decoding (clients encode
      // `_` and `-`), so it gets the credentials already decoded, in the body.
      const { authorization: _basic, ...headers } = request.headers as Record<string, string>;
      const req = new OAuth2Server.Request({
        method: 'POST',
        headers,
        query: {},
        body: {
          ...body,
          client_id: clientId,
          ...(clientSecret === null ? {} : { client_secret: clientSecret }),
        },
      });
      const res = new OAuth2Server.Response({});
      let reused: string | null = null;
      const token = await tenantTx
        .run(tenantId, async (sql) => {
          const model = oauthModel(sql, apiKeys, allows);
          try {
            return await serverFor(model).token(req, res);
          } finally {
            reused = model.state.reusedGrant;
          }
        })
        .catch(async (err) => {
          // A spent refresh token came back: whoever holds the family may be a thief, so all of
          // it goes, in its own transaction (the refused request's rolled back).
          if (reused) {
            const grantId = reused;
            await tenantTx.run(tenantId, async (sql) => {
              if (await revokeGrant(sql, apiKeys, grantId))
                await audit.record(sql, {
                  ...requestAudit(request, null),
                  action: 'kernel.oauth.refresh-reused',
                  resource: { type: 'oauth-grant', id: grantId },
                  change: { revoked: 'grant, its access tokens and its refresh tokens' },
                });
            });
          }
          throw oauthProblem(err);
        });
      reply.header('cache-control', 'no-store');
      return {
        access_token: token.accessToken,
        token_type: 'Bearer',
        expires_in: TOKEN_SECONDS,
        refresh_token: token.refreshToken,
        scope: (token.scope ?? []).join(' '),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/revoke',
    access: 'public',
    summary: 'RFC 7009: the client revokes one of its tokens (a refresh token ends its whole grant)',
    tags: ['oauth'],
    body: tokenQuery,
    handler: async ({ body, scope, request }) => {
      const c = clientOf(request.headers, body);
      const { apiKeys, tenantTx } = scope.cradle as Cradle;
      await tenantTx.run(c.tenantId, (sql) => revokeToken(sql, apiKeys, c, body.token));
      // 200 whether or not the token was valid (RFC 7009 §2.2): nothing to learn from the answer.
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/oauth/introspect',
    access: 'public',
    summary:
      'RFC 7662: a confidential client asks whether one of its own tokens is active, and what it carries',
    tags: ['oauth'],
    body: tokenQuery,
    handler: async ({ body, reply, scope, request }) => {
      const c = clientOf(request.headers, body);
      const { tenantTx } = scope.cradle as Cradle;
      reply.header('cache-control', 'no-store');
      return tenantTx.run(c.tenantId, (sql) => introspect(sql, c, body.token));
    },
  }),
];
