// OAuth, the client's side by a standard client library (oauth4webapi) over real HTTP: rotating
// refresh tokens with reuse detection, confidential clients (client_secret_basic and
// client_secret_post), revocation (RFC 7009) and introspection (RFC 7662); and the attacker's
// paths: a spent refresh token replayed, another tenant's client, another app, a wrong secret.
import { createHash, randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const REDIRECT = 'https://app.example.com/callback';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('OAuth refresh tokens, confidential clients, revocation, introspection', () => {
  let k: TestKernel;
  let t: TestTenant;
  let other: TestTenant;
  let as: oauth.AuthorizationServer;

  const register = async (tenant: TestTenant, confidential: boolean) => {
    const res = await call(k, 'POST', '/api/v1/oauth/apps', {
      auth: tenant.auth,
      body: { name: 'App', redirectUris: [REDIRECT], scopes: ['kernel.tenant.read'], confidential },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; clientId: string; clientSecret?: string };
  };

  /** The user consents (the shell's job), then the app redeems the code with the library. */
  const authorize = async (tenant: TestTenant, clientId: string, auth: oauth.ClientAuth) => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const consent = await call(k, 'POST', '/api/v1/oauth/authorize', {
      auth: tenant.auth,
      body: {
        client_id: clientId,
        redirect_uri: REDIRECT,
        scope: 'kernel.tenant.read',
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      },
    });
    expect(consent.statusCode, consent.body).toBe(200);
    const client = { client_id: clientId };
    const params = oauth.validateAuthResponse(as, client, new URL(consent.json().redirectTo), state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      REDIRECT,
      verifier,
      insecure,
    );
    return oauth.processAuthorizationCodeResponse(as, client, res);
  };
  const refresh = async (clientId: string, auth: oauth.ClientAuth, token: string) =>
    oauth.processRefreshTokenResponse(
      as,
      { client_id: clientId },
      await oauth.refreshTokenGrantRequest(as, { client_id: clientId }, auth, token, insecure),
    );
  const refused = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e as { error?: string; status?: number },
    );
    expect(err, 'expected a refusal').not.toBeNull();
    return err!.error;
  };
  const api = async (token: string) =>
    (await call(k, 'GET', '/api/v1/tenant/outbound-policy', { auth: `Bearer ${token}` })).statusCode;

  beforeAll(async () => {
    k = await startTestKernel({}, { listen: true });
    t = await createTenant(k);
    other = await createTenant(k);
    as = {
      issuer: k.url,
      token_endpoint: `${k.url}/api/v1/oauth/token`,
      revocation_endpoint: `${k.url}/api/v1/oauth/revoke`,
      introspection_endpoint: `${k.url}/api/v1/oauth/introspect`,
    };
  });
  afterAll(async () => k?.close());

  it('rotates refresh tokens, and a spent one replayed revokes the whole family', async () => {
    const app = await register(t, false);
    expect(app.clientSecret).toBeUndefined();
    const first = await authorize(t, app.clientId, oauth.None());
    expect(first.refresh_token).toMatch(/^erpo_/);
    expect(await api(first.access_token)).toBe(200);

    const second = await refresh(app.clientId, oauth.None(), first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe('kernel.tenant.read');
    expect(await api(second.access_token)).toBe(200);

    // The first token is spent: replaying it (a thief, or a stale copy) is refused, and then the
    // legitimate holder's newer tokens stop as well: one of the two is an attacker.
    expect(await refused(refresh(app.clientId, oauth.None(), first.refresh_token!))).toBe('invalid_grant');
    expect(await refused(refresh(app.clientId, oauth.None(), second.refresh_token!))).toBe('invalid_grant');
    expect(await api(first.access_token)).toBe(401);
    expect(await api(second.access_token)).toBe(401);
    const audit = await k.superuser.query(
      `select count(*)::int as n from erp.audit_entries where tenant_id = $1 and action = 'kernel.oauth.refresh-reused'`,
      [t.tenantId],
    );
    expect(audit.rows[0].n).toBe(1);
    const grants = (await call(k, 'GET', '/api/v1/oauth/apps', { auth: t.auth })).json().apps;
    expect(grants.find((a: { id: string }) => a.id === app.id).grants).toEqual([]);
  });

  it('ends a family at its bounded lifetime, whatever the rotations', async () => {
    const app = await register(t, false);
    const first = await authorize(t, app.clientId, oauth.None());
    // The family has ten minutes left: its next token may not outlive it.
    await k.superuser.query(
      `update erp.oauth_grants set expires_at = now() + interval '10 minutes' where tenant_id = $1 and app_id = $2`,
      [t.tenantId, app.id],
    );
    const second = await refresh(app.clientId, oauth.None(), first.refresh_token!);
    const capped = await k.superuser.query(
      `select r.expires_at = g.expires_at as capped from erp.oauth_refresh_tokens r
         join erp.oauth_grants g on g.tenant_id = r.tenant_id and g.id = r.grant_id
        where r.tenant_id = $1 and r.app_id = $2 and r.used_at is null`,
      [t.tenantId, app.id],
    );
    expect(capped.rows).toEqual([{ capped: true }]);
    // Once the family's time is over, its last token is refused like an expired one.
    await k.superuser.query(
      `update erp.oauth_refresh_tokens set expires_at = now() - interval '1 second' where tenant_id = $1 and app_id = $2`,
      [t.tenantId, app.id],
    );
    expect(await refused(refresh(app.clientId, oauth.None(), second.refresh_token!))).toBe('invalid_grant');
  });

  it('authenticates confidential clients by basic and post, refuses a missing or wrong secret', async () => {
    const app = await register(t, true);
    expect(app.clientSecret).toMatch(/^erpcs_/);
    // Shown once: the listing says confidential, never the secret or its hash.
    const listed = (await call(k, 'GET', '/api/v1/oauth/apps', { auth: t.auth })).body;
    expect(listed).not.toContain(app.clientSecret!);
    expect(listed).not.toContain('client_secret_hash');

    expect(await refused(authorize(t, app.clientId, oauth.None()))).toBe('invalid_client');
    expect(await refused(authorize(t, app.clientId, oauth.ClientSecretPost('erpcs_wrong')))).toBe(
      'invalid_client',
    );
    const tokens = await authorize(t, app.clientId, oauth.ClientSecretBasic(app.clientSecret!));
    const next = await refresh(
      app.clientId,
      oauth.ClientSecretPost(app.clientSecret!),
      tokens.refresh_token!,
    );
    // The refresh token alone is not enough for a confidential client.
    expect(await refused(refresh(app.clientId, oauth.None(), next.refresh_token!))).toBe('invalid_client');

    // A new secret: the old one stops at once.
    const rotated = await call(k, 'POST', `/api/v1/oauth/apps/${app.id}/secret`, { auth: t.auth });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const secret = rotated.json().clientSecret as string;
    expect(
      await refused(refresh(app.clientId, oauth.ClientSecretBasic(app.clientSecret!), next.refresh_token!)),
    ).toBe('invalid_client');
    const after = await refresh(app.clientId, oauth.ClientSecretBasic(secret), next.refresh_token!);
    expect(await api(after.access_token)).toBe(200);
  });

  it('introspects and revokes a client’s own tokens only (RFC 7662, RFC 7009)', async () => {
    const app = await register(t, true);
    const auth = oauth.ClientSecretBasic(app.clientSecret!);
    const client = { client_id: app.clientId };
    const inspect = async (c: oauth.Client, a: oauth.ClientAuth, token: string) =>
      oauth.processIntrospectionResponse(as, c, await oauth.introspectionRequest(as, c, a, token, insecure));
    const tokens = await authorize(t, app.clientId, auth);

    const live = await inspect(client, auth, tokens.access_token);
    expect(live).toMatchObject({ active: true, scope: 'kernel.tenant.read', client_id: app.clientId });
    expect(live.sub).toBe(t.adminId);
    expect((await inspect(client, auth, tokens.refresh_token!)).active).toBe(true);

    // Another app of the same tenant learns nothing of these tokens and cannot revoke them.
    const nosy = await register(t, true);
    const nosyClient = { client_id: nosy.clientId };
    const nosyAuth = oauth.ClientSecretBasic(nosy.clientSecret!);
    expect((await inspect(nosyClient, nosyAuth, tokens.access_token)).active).toBe(false);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, nosyClient, nosyAuth, tokens.refresh_token!, insecure),
    );
    expect(await api(tokens.access_token)).toBe(200);
    // A public client may not introspect.
    const pub = await register(t, false);
    expect(await refused(inspect({ client_id: pub.clientId }, oauth.None(), tokens.access_token))).toBe(
      'invalid_client',
    );

    // Revoking the refresh token ends the grant: its access token stops too.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, insecure),
    );
    expect(await api(tokens.access_token)).toBe(401);
    expect((await inspect(client, auth, tokens.access_token)).active).toBe(false);
    expect(await refused(refresh(app.clientId, auth, tokens.refresh_token!))).toBe('invalid_grant');
  });

  it("refuses another tenant's client and tokens", async () => {
    const mine = await register(t, false);
    const tokens = await authorize(t, mine.clientId, oauth.None());
    const theirs = await register(other, false);
    // Tenant B's client presenting tenant A's refresh token: not found in B's scope.
    expect(await refused(refresh(theirs.clientId, oauth.None(), tokens.refresh_token!))).toBe(
      'invalid_grant',
    );
    // A client id that claims tenant A but was made up.
    const forged = `erpc_${t.tenantId.replaceAll('-', '')}_${randomBytes(12).toString('hex')}`;
    expect(await refused(refresh(forged, oauth.None(), tokens.refresh_token!))).toBe('invalid_client');
    // A user of tenant B cannot consent to A's app.
    const consent = await call(k, 'POST', '/api/v1/oauth/authorize', {
      auth: other.auth,
      body: {
        client_id: mine.clientId,
        redirect_uri: REDIRECT,
        scope: 'kernel.tenant.read',
        state: 'state-12345',
        code_challenge: createHash('sha256').update('x'.repeat(43)).digest('base64url'),
        code_challenge_method: 'S256',
      },
    });
    expect(consent.statusCode).toBe(400);
    expect(consent.json().error).toBe('invalid_client');
    // Still good for its own client.
    expect(await api((await refresh(mine.clientId, oauth.None(), tokens.refresh_token!)).access_token)).toBe(
      200,
    );
  });
});
