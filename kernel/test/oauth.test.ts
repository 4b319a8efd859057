// OAuth apps end to end: an admin registers an app, a user consents (authorization code + PKCE
// S256), the app exchanges the code (form-encoded, as RFC 6749 says) for a token that works for
// the consented permissions only, once per code, and stops working when the grant is revoked.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const REDIRECT = 'https://app.example.com/callback';
const b64url = (b: Buffer) => b.toString('base64url');

/** The token endpoint's refusals: RFC 6749 §5.2 JSON (read by OAuth clients) that is a problem too. */
function expectOAuthError(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.json()).toMatchObject({ code, error: expect.stringMatching(/^[a-z_]+$/) });
}

describe('OAuth apps', () => {
  let k: TestKernel;
  let t: TestTenant;
  let other: TestTenant;
  let clientId: string;

  const consent = (auth: string, extra: Record<string, string> = {}) => {
    const verifier = b64url(randomBytes(32));
    const body = {
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'kernel.tenant.read',
      state: 'state-12345',
      code_challenge: b64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      ...extra,
    };
    return { verifier, res: call(k, 'POST', '/api/v1/oauth/authorize', { auth, body }) };
  };
  const token = (form: Record<string, string>) =>
    call(k, 'POST', '/api/v1/oauth/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        ...form,
      }).toString(),
    });

  beforeAll(async () => {
    k = await startTestKernel();
    t = await createTenant(k);
    other = await createTenant(k);
    const app = await call(k, 'POST', '/api/v1/oauth/apps', {
      auth: t.auth,
      body: {
        name: 'Reporting app',
        redirectUris: [REDIRECT],
        scopes: ['kernel.tenant.read', 'iam.users.read'],
      },
    });
    expect(app.statusCode, app.body).toBe(201);
    clientId = app.json().clientId;
  });
  afterAll(async () => k?.close());

  it('runs the authorization-code flow with PKCE to a token scoped to the consent', async () => {
    const { verifier, res } = consent(t.auth);
    const answer = await res;
    expect(answer.statusCode, answer.body).toBe(200);
    const redirect = new URL(answer.json().redirectTo);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('state-12345');
    const code = redirect.searchParams.get('code')!;

    // A wrong verifier is refused (PKCE); the code stays usable by the holder of the right one.
    expectOAuthError(await token({ code, code_verifier: b64url(randomBytes(32)) }), 400, 'ERP_OAUTH_REFUSED');
    const ok = await token({ code, code_verifier: verifier });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const { access_token, scope, token_type, expires_in } = ok.json();
    expect([scope, token_type, expires_in]).toEqual(['kernel.tenant.read', 'Bearer', 3600]);
    // One use per code.
    expectOAuthError(await token({ code, code_verifier: verifier }), 400, 'ERP_OAUTH_REFUSED');

    const bearer = `Bearer ${access_token}`;
    expect((await call(k, 'GET', '/api/v1/tenant/outbound-policy', { auth: bearer })).statusCode).toBe(200);
    // Consented to read only: a write and another permission are refused.
    expect(
      (await call(k, 'PUT', '/api/v1/tenant/outbound-policy', { auth: bearer, body: { allowPrivate: [] } }))
        .statusCode,
    ).toBe(403);
    expect((await call(k, 'GET', '/api/v1/iam/users', { auth: bearer })).statusCode).toBe(403);

    const apps = (await call(k, 'GET', '/api/v1/oauth/apps', { auth: t.auth })).json().apps;
    const grant = apps[0].grants[0];
    expect(grant.scopes).toEqual(['kernel.tenant.read']);
    expect((await call(k, 'DELETE', `/api/v1/oauth/grants/${grant.id}`, { auth: t.auth })).statusCode).toBe(
      204,
    );
    expect((await call(k, 'GET', '/api/v1/tenant/outbound-policy', { auth: bearer })).statusCode).toBe(401);
  });

  it('refuses scopes beyond the app, plain PKCE, unknown redirects and other tenants', async () => {
    expectProblem(await consent(t.auth, { scope: 'kernel.tenant.write' }).res, 400, 'ERP_OAUTH_REFUSED');
    expect((await consent(t.auth, { code_challenge_method: 'plain' }).res).statusCode).toBe(400);
    expectProblem(
      await consent(t.auth, { redirect_uri: 'https://evil.example.com/cb' }).res,
      400,
      'ERP_OAUTH_REFUSED',
    );
    // The app is tenant t's: a user of another tenant cannot consent to it.
    expectProblem(await consent(other.auth).res, 400, 'ERP_OAUTH_REFUSED');
    expectOAuthError(
      await token({ code: 'nope', code_verifier: b64url(randomBytes(32)) }),
      400,
      'ERP_OAUTH_REFUSED',
    );
    // Registering apps needs kernel.tenant.write.
    const { res } = {
      res: call(k, 'POST', '/api/v1/oauth/apps', {
        body: { name: 'x', redirectUris: [REDIRECT], scopes: ['kernel.tenant.read'] },
      }),
    };
    expect((await res).statusCode).toBe(401);
  });
});
