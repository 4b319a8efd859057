// The consent page's CSRF defence. The page hands the browser two halves: a random nonce in an
// HttpOnly, SameSite=Strict cookie scoped to the decision route, and a ticket in the page that
// carries the same nonce plus exactly the request the user was shown (app, redirect URI, scopes,
// state, PKCE challenge), signed with a key derived from the kernel's master key (shared by every
// replica) and valid ten minutes. A decision is accepted only with both halves matching, so another
// site can neither post one (no cookie, no token) nor swap the scopes the user saw.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TICKET_SECONDS = 600;
export const CONSENT_COOKIE = 'erp_consent';
export const CONSENT_COOKIE_PATH = '/api/v1/oauth/consent';

/** What the user was asked: the authorization request's parameters, validated by the page. */
export interface ConsentRequest {
  client_id: string;
  redirect_uri: string;
  scope: string;
  state: string;
  code_challenge: string;
  code_challenge_method: 'S256';
}

interface Payload extends ConsentRequest {
  nonce: string;
  exp: number;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function issueTicket(key: Buffer, req: ConsentRequest, now = Date.now()) {
  const nonce = randomBytes(18).toString('base64url');
  const body = b64(JSON.stringify({ ...req, nonce, exp: Math.floor(now / 1000) + TICKET_SECONDS }));
  return { nonce, ticket: `${body}.${b64(mac(key, body))}` };
}

/** The request the ticket names, or why it is refused. */
export function openTicket(
  key: Buffer,
  ticket: string,
  cookieNonce: string | undefined,
  now = Date.now(),
): ConsentRequest | { refused: string } {
  const [body, sig] = ticket.split('.');
  if (!body || !sig) return { refused: 'malformed ticket' };
  const want = mac(key, body);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { refused: 'bad signature' };
  const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  if (p.exp * 1000 < now) return { refused: 'expired: open the app’s link again' };
  const a = Buffer.from(p.nonce);
  const b = Buffer.from(cookieNonce ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { refused: 'not issued to this browser' };
  const { nonce: _n, exp: _e, ...req } = p;
  return req;
}

export function readConsentCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CONSENT_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

export function consentCookie(nonce: string, secure: boolean): string {
  return `${CONSENT_COOKIE}=${nonce}; Path=${CONSENT_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${TICKET_SECONDS}${secure ? '; Secure' : ''}`;
}
