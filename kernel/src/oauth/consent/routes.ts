// The OAuth consent screen (issue 16). A third-party app sends the user to GET /oauth/authorize;
// the kernel answers a page of its own (strict CSP, no inline script, not frameable) naming the
// app and the permissions it asks for, or an error page for an unknown app or unregistered
// redirect URI. The user decides with POST /api/v1/oauth/consent: approve runs the authorization-
// code grant of ../routes.ts (the same checks: scopes the user holds, PKCE), deny sends the browser
// back with error=access_denied. Both need a signed-in user and the page's CSRF halves (ticket.ts).
import { type AuditLog, requestAudit } from '../../audit/index.js';
import { currentKey, deriveKey, type Secrets } from '../../config/index.js';
import { type AnyRoute, defineRoute, Problem } from '../../http/index.js';
import type { PermissionRegistry } from '../../rbac/index.js';
import type { TenantTx } from '../../tenancy/index.js';
import { CONSENT_CSP, CONSENT_CSS, consentPage, stopPage } from './page.js';
import { errorRedirect, readRequest } from './request.js';
import { CONSENT_SCRIPT } from './script.js';
import { consentCookie, issueTicket, openTicket, readConsentCookie } from './ticket.js';

type Cradle = { tenantTx: TenantTx; permissions: PermissionRegistry; secrets: Secrets; audit: AuditLog };

const keyOf = (secrets: Secrets) => deriveKey(currentKey(secrets).secret, 'oauth-consent');

const text = { type: 'string', maxLength: 2000 } as const;
const authorizeQuery = {
  type: 'object',
  additionalProperties: true,
  properties: {
    response_type: text,
    client_id: text,
    redirect_uri: text,
    scope: { type: 'string', maxLength: 5000 },
    state: text,
    code_challenge: text,
    code_challenge_method: text,
  },
} as const;

const decisionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ticket', 'decision'],
  properties: {
    ticket: { type: 'string', minLength: 10, maxLength: 12000 },
    decision: { type: 'string', enum: ['approve', 'deny'] },
  },
} as const;

/** The grant itself stays with the OAuth routes: approving is posting their authorize body as that user. */
function authorizeRoute(routes: readonly AnyRoute[]): AnyRoute {
  const r = routes.find((x) => x.method === 'POST' && x.url === '/api/v1/oauth/authorize');
  if (!r) throw new Error('the OAuth authorize route is missing');
  return r;
}

const asset = (url: string, type: string, body: string) =>
  defineRoute({
    method: 'GET',
    url,
    access: 'public',
    summary: 'The OAuth consent page’s own asset',
    tags: ['oauth'],
    handler: async ({ reply }) => {
      reply.type(type).header('cache-control', 'no-cache');
      return body;
    },
  });

/** The page, its assets and the decision route; `oauth` is the kernel's OAuth routes (for authorize). */
export function consentRoutes(oauth: readonly AnyRoute[]): AnyRoute[] {
  const authorize = authorizeRoute(oauth);
  return [
    defineRoute({
      method: 'GET',
      url: '/oauth/authorize',
      access: 'public',
      summary: 'The consent page a third-party app sends its user to (authorization code with PKCE)',
      tags: ['oauth'],
      query: authorizeQuery,
      handler: async ({ query, reply, request, scope }) => {
        const { tenantTx, permissions, secrets } = scope.cradle as Cradle;
        const read = await readRequest(tenantTx, query as Record<string, string | undefined>);
        reply
          .header('content-security-policy', CONSENT_CSP)
          .header('x-frame-options', 'DENY')
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer');
        if (read.kind === 'back') return reply.redirect(read.to, 302);
        reply.type('text/html; charset=utf-8');
        if (read.kind === 'stop') return reply.code(400).send(stopPage(read.message));
        const { nonce, ticket } = issueTicket(keyOf(secrets), read.request);
        const words = new Map(permissions.list().map((p) => [p.name, p.description]));
        reply.header('set-cookie', consentCookie(nonce, request.protocol === 'https'));
        return consentPage({
          appName: read.app.name,
          tenantId: read.app.tenantId,
          redirectUri: read.request.redirect_uri,
          scopes: read.request.scope.split(' ').map((s) => ({ name: s, words: words.get(s) ?? s })),
          ticket,
        });
      },
    }),
    asset('/oauth/consent.js', 'text/javascript; charset=utf-8', CONSENT_SCRIPT),
    asset('/oauth/consent.css', 'text/css; charset=utf-8', CONSENT_CSS),
    defineRoute({
      method: 'POST',
      url: '/api/v1/oauth/consent',
      access: 'authenticated',
      summary: 'The signed-in user approves or denies the request the consent page showed',
      tags: ['oauth'],
      body: decisionBody,
      handler: async (ctx) => {
        const { sql, body, principal, request, reply, scope } = ctx;
        if (principal.kind !== 'user' || !principal.userId)
          throw new Problem(403, 'ERP_OAUTH_USER_ONLY', 'Only a signed-in user can consent');
        const { secrets, audit } = scope.cradle as Cradle;
        const req = openTicket(keyOf(secrets), body.ticket, readConsentCookie(request.headers.cookie));
        if ('refused' in req)
          throw new Problem(403, 'ERP_OAUTH_CONSENT_CSRF', 'Consent not accepted', {
            detail: `The decision must come from the consent page in this browser (${req.refused}).`,
          });
        // The app must be this user's tenant's and still registered with this address.
        const app = await sql.one<{ id: string }>(
          'select id from erp.oauth_apps where client_id = $1 and $2 = any(redirect_uris) and revoked_at is null',
          [req.client_id, req.redirect_uri],
        );
        if (!app)
          throw new Problem(403, 'ERP_OAUTH_OTHER_TENANT', 'This app is not registered in your tenant', {
            detail: 'Sign in to the tenant that registered the app.',
          });
        reply.header('cache-control', 'no-store');
        if (body.decision === 'approve') return authorize.handler({ ...ctx, body: req });
        await audit.record(sql, {
          ...requestAudit(request, principal),
          action: 'kernel.oauth.denied',
          resource: { type: 'oauth-app', id: app.id },
          change: { scopes: req.scope.split(' ') },
        });
        return { redirectTo: errorRedirect(req.redirect_uri, 'access_denied', req.state) };
      },
    }),
  ];
}
