// Reads an authorization request (RFC 6749 4.1.1 with RFC 7636's challenge) the way the consent
// page must: an unknown app or a redirect URI the app did not register is shown to the user as an
// error and never followed (else the kernel would be an open redirector); every other fault goes
// back to the app's registered URI as `error=…` with its state, as the RFC asks.
import type { TenantTx } from '../../tenancy/index.js';
import { tenantOfClient } from '../clients.js';
import type { ConsentRequest } from './ticket.js';

export interface ConsentApp {
  tenantId: string;
  name: string;
  redirectUris: string[];
  scopes: string[];
}

export type ReadRequest =
  | { kind: 'show'; app: ConsentApp; request: ConsentRequest }
  | { kind: 'back'; to: string }
  | { kind: 'stop'; message: string };

const STATE = /^[\x21-\x7e]{8,500}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;

/** The app's URI with error (and state) in its query; the URI is one the app registered. */
export function errorRedirect(redirectUri: string, error: string, state?: string, description?: string) {
  const u = new URL(redirectUri);
  u.searchParams.set('error', error);
  if (description) u.searchParams.set('error_description', description);
  if (state) u.searchParams.set('state', state);
  return u.toString();
}

export async function findApp(tenantTx: TenantTx, clientId: string): Promise<ConsentApp | null> {
  const tenantId = tenantOfClient(clientId);
  if (!tenantId) return null;
  const row = await tenantTx.run(tenantId, (sql) =>
    sql.one<{ name: string; redirect_uris: string[]; scopes: string[] }>(
      'select name, redirect_uris, scopes from erp.oauth_apps where client_id = $1 and revoked_at is null',
      [clientId],
    ),
  );
  return row ? { tenantId, name: row.name, redirectUris: row.redirect_uris, scopes: row.scopes } : null;
}

export async function readRequest(
  tenantTx: TenantTx,
  q: Record<string, string | undefined>,
): Promise<ReadRequest> {
  const app = q.client_id ? await findApp(tenantTx, q.client_id) : null;
  if (!app) return { kind: 'stop', message: 'This link names no app registered here (unknown client_id).' };
  const redirect = q.redirect_uri;
  if (!redirect || !app.redirectUris.includes(redirect))
    return {
      kind: 'stop',
      message: `The app “${app.name}” asked to return to an address it has not registered.`,
    };
  const back = (error: string, why: string) =>
    ({ kind: 'back', to: errorRedirect(redirect, error, q.state, why) }) as const;
  if (q.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code');
  if (!q.state || !STATE.test(q.state))
    return back('invalid_request', 'state is required (8 to 500 characters)');
  if (q.code_challenge_method !== 'S256' || !q.code_challenge || !CHALLENGE.test(q.code_challenge))
    return back('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
  const scopes = (q.scope ?? '').split(' ').filter(Boolean);
  if (!scopes.length) return back('invalid_scope', 'scope is required');
  const unknown = scopes.find((s) => !app.scopes.includes(s));
  if (unknown) return back('invalid_scope', `${unknown} is not a permission this app may ask for`);
  return {
    kind: 'show',
    app,
    request: {
      client_id: q.client_id!,
      redirect_uri: redirect,
      scope: [...new Set(scopes)].join(' '),
      state: q.state,
      code_challenge: q.code_challenge,
      code_challenge_method: 'S256',
    },
  };
}
