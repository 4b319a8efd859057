// The OAuth consent page (kernel/src/oauth/consent): what GET /oauth/authorize answers for each
// kind of request (an error page that never redirects for an unknown app or an unregistered
// redirect URI; error=… back to the app for the other faults; the page under a strict CSP with the
// CSRF cookie otherwise), and which decisions POST /api/v1/oauth/consent accepts: only with the
// page's signed ticket and its cookie together, from a user of the app's tenant; approve answers a
// code (exchanged with PKCE), deny error=access_denied. The browser walk is in tests/elements.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../src/config/index.js';
import { issueTicket, openTicket } from '../src/oauth/consent/ticket.js';
import { call, expectProblem } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const REDIRECT = 'https://app.example.com/callback';

describe('OAuth consent page', () => {
  let k: TestKernel;
  let t: TestTenant;
  let other: TestTenant;
  let clientId: string;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const page = (extra: Record<string, string> = {}) =>
    call(
      k,
      'GET',
      `/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        scope: 'kernel.tenant.read',
        state: 'state-12345',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...extra,
      })}`,
    );
  /** The page's ticket and the cookie it set. */
  async function halves(extra: Record<string, string> = {}) {
    const res = await page(extra);
    expect(res.statusCode, res.body).toBe(200);
    const ticket = /data-ticket="([^"]+)"/.exec(res.body)![1]!;
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    return { ticket, cookie };
  }
  const decide = (auth: string, body: object, cookie?: string) =>
    call(k, 'POST', '/api/v1/oauth/consent', { auth, body, headers: cookie ? { cookie } : {} });

  beforeAll(async () => {
    k = await startTestKernel();
    t = await createTenant(k);
    other = await createTenant(k);
    const app = await call(k, 'POST', '/api/v1/oauth/apps', {
      auth: t.auth,
      body: { name: 'Report <b>app</b>', redirectUris: [REDIRECT], scopes: ['kernel.tenant.read'] },
    });
    expect(app.statusCode, app.body).toBe(201);
    clientId = app.json().clientId;
  });
  afterAll(async () => k?.close());

  it('shows the app and its permissions in words under a strict CSP, with the CSRF cookie', async () => {
    const res = await page();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.body).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    expect(res.body).toContain('Report &#60;b&#62;app&#60;/b&#62;'); // escaped, never markup
    expect(res.body).toContain('View the tenant\u2019s settings');
    expect(String(res.headers['set-cookie'])).toMatch(
      /^erp_consent=[\w-]+; Path=\/api\/v1\/oauth\/consent; HttpOnly; SameSite=Strict; Max-Age=600$/,
    );
    const js = await call(k, 'GET', '/oauth/consent.js');
    expect([js.statusCode, js.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('never redirects for an unknown app or an unregistered URI; other faults go back with error', async () => {
    const unknown = await page({ client_id: `erpc_${'0'.repeat(32)}_${'1'.repeat(24)}` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
    const evil = await page({ redirect_uri: 'https://evil.example.com/callback' });
    expect([evil.statusCode, evil.headers.location]).toEqual([400, undefined]);
    expect(evil.body).toContain('has not registered');
    const back = async (extra: Record<string, string>) => {
      const res = await page(extra);
      expect(res.statusCode).toBe(302);
      const u = new URL(String(res.headers.location));
      expect(`${u.origin}${u.pathname}`).toBe(REDIRECT);
      return [u.searchParams.get('error'), u.searchParams.get('state')];
    };
    expect(await back({ scope: 'kernel.tenant.write' })).toEqual(['invalid_scope', 'state-12345']);
    expect(await back({ code_challenge_method: 'plain' })).toEqual(['invalid_request', 'state-12345']);
    expect(await back({ response_type: 'token' })).toEqual(['unsupported_response_type', 'state-12345']);
  });

  it('approves only with both CSRF halves, then the code buys a token with the PKCE verifier', async () => {
    const { ticket, cookie } = await halves();
    expectProblem(await decide(t.auth, { ticket, decision: 'approve' }), 403, 'ERP_OAUTH_CONSENT_CSRF');
    const other2 = await halves();
    expectProblem(
      await decide(t.auth, { ticket, decision: 'approve' }, other2.cookie),
      403,
      'ERP_OAUTH_CONSENT_CSRF',
    );
    const [body, sig] = ticket.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(body!, 'base64url').toString()),
        scope: 'kernel.tenant.write',
      }),
    ).toString('base64url');
    expectProblem(
      await decide(t.auth, { ticket: `${forged}.${sig}`, decision: 'approve' }, cookie),
      403,
      'ERP_OAUTH_CONSENT_CSRF',
    );
    expectProblem(
      await decide(other.auth, { ticket, decision: 'approve' }, cookie),
      403,
      'ERP_OAUTH_OTHER_TENANT',
    );
    expect(
      (await call(k, 'POST', '/api/v1/oauth/consent', { body: { ticket, decision: 'approve' } })).statusCode,
    ).toBe(401);

    const ok = await decide(t.auth, { ticket, decision: 'approve' }, cookie);
    expect(ok.statusCode, ok.body).toBe(200);
    const to = new URL(ok.json().redirectTo);
    expect(to.searchParams.get('state')).toBe('state-12345');
    const token = await call(k, 'POST', '/api/v1/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: to.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        client_id: clientId,
        code_verifier: verifier,
      }).toString(),
    });
    expect(token.statusCode, token.body).toBe(200);
    expect(token.json().scope).toBe('kernel.tenant.read');
  });

  it('deny sends the app error=access_denied with its state', async () => {
    const { ticket, cookie } = await halves({ state: 'deny-state' });
    const res = await decide(t.auth, { ticket, decision: 'deny' }, cookie);
    expect(res.statusCode, res.body).toBe(200);
    const to = new URL(res.json().redirectTo);
    expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(to.searchParams)).toEqual({ error: 'access_denied', state: 'deny-state' });
  });

  it('a ticket expires after ten minutes', () => {
    const key = deriveKey('consent-test-key-0123456789abcdef', 'oauth-consent');
    const req = {
      client_id: 'c',
      redirect_uri: REDIRECT,
      scope: 's',
      state: 'state-1234',
      code_challenge: challenge,
      code_challenge_method: 'S256' as const,
    };
    const now = Date.UTC(2026, 0, 1);
    const { nonce, ticket } = issueTicket(key, req, now);
    expect(openTicket(key, ticket, nonce, now + 599_000)).toEqual(req);
    expect(openTicket(key, ticket, nonce, now + 601_000)).toEqual({
      refused: expect.stringMatching(/^expired/),
    });
  });
});
