// Authentication: rotating refresh tokens with reuse detection, logout, lockout, password policy,
// TOTP, API keys (scope, expiry, rotation, revocation, creator's limits) and every kind of bad
// token, each answered with a 401 problem that names what is wrong while nothing changes.
import { randomBytes } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../src/config/index.js';
import { call, createUser, expectProblem, login, loginOk, USER_PASSWORD, userWith } from './support/api.js';
import {
  createTenant,
  startTestKernel,
  TEST_SECRET_KEY,
  type TestKernel,
  type TestTenant,
} from './support/harness.js';

const LOCKOUT_THRESHOLD = 3;

describe('auth', () => {
  let k: TestKernel;
  let t: TestTenant;

  beforeAll(async () => {
    k = await startTestKernel({
      ERP_LOCKOUT_THRESHOLD: String(LOCKOUT_THRESHOLD),
      ERP_RATE_LIMIT_LOGIN_IP: '1000',
    });
    t = await createTenant(k);
  });
  afterAll(async () => k?.close());

  const me = (auth: string) => call(k, 'GET', '/api/v1/auth/me', { auth });
  const refresh = (refreshToken: string) =>
    call(k, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });

  describe('sessions', () => {
    it('refresh rotates: a new pair each time, the old refresh token is spent', async () => {
      const u = await userWith(k, t, []);
      const r1 = await refresh(u.refreshToken);
      expect(r1.statusCode, r1.body).toBe(200);
      const p1 = r1.json();
      expect(p1).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
      expect(p1.refreshToken).not.toBe(u.refreshToken);
      expect(decodeJwt(p1.accessToken).sid).toBe(decodeJwt(u.accessToken).sid);
      expect((await me(`Bearer ${p1.accessToken}`)).statusCode).toBe(200);
      const r2 = await refresh(p1.refreshToken);
      expect(r2.statusCode, r2.body).toBe(200);
      expect(r2.json().refreshToken).not.toBe(p1.refreshToken);
    });

    it('reusing a spent refresh token revokes the whole family, and only it', async () => {
      const u = await userWith(k, t, []);
      const other = await loginOk(k, t.slug, u.email); // a second session of the same user
      const rotated = (await refresh(u.refreshToken)).json();
      expect((await me(u.auth)).statusCode).toBe(200);
      expect((await me(`Bearer ${rotated.accessToken}`)).statusCode).toBe(200);

      expectProblem(await refresh(u.refreshToken), 401, 'ERP_REFRESH_REUSED');
      expectProblem(await refresh(rotated.refreshToken), 401, 'ERP_SESSION_REVOKED');
      expectProblem(await me(`Bearer ${rotated.accessToken}`), 401, 'ERP_TOKEN_REVOKED');
      expectProblem(await me(u.auth), 401, 'ERP_TOKEN_REVOKED');
      expect((await me(other.auth)).statusCode).toBe(200);
      const row = await k.superuser.query('select revoked_reason from erp.sessions where id = $1', [
        decodeJwt(u.accessToken).sid,
      ]);
      expect(row.rows[0].revoked_reason).toBe('refresh-token-reuse');
    });

    it('logout revokes the session: its access and refresh tokens stop working', async () => {
      const u = await userWith(k, t, []);
      expect((await me(u.auth)).statusCode).toBe(200);
      const out = await call(k, 'POST', '/api/v1/auth/logout', { auth: u.auth });
      expect(out.statusCode, out.body).toBe(204);
      expectProblem(await me(u.auth), 401, 'ERP_TOKEN_REVOKED');
      expectProblem(await refresh(u.refreshToken), 401, 'ERP_SESSION_REVOKED');
    });

    it('an admin signing a user out everywhere ends all their sessions', async () => {
      const u = await userWith(k, t, []);
      const second = await loginOk(k, t.slug, u.email);
      const res = await call(k, 'POST', `/api/v1/iam/users/${u.id}/sessions/revoke`, { auth: t.auth });
      expect(res.statusCode, res.body).toBe(204);
      expectProblem(await me(u.auth), 401, 'ERP_TOKEN_REVOKED');
      expectProblem(await me(second.auth), 401, 'ERP_TOKEN_REVOKED');
      expectProblem(await refresh(second.refreshToken), 401, 'ERP_SESSION_REVOKED');
    });

    it('disabling a user ends their sessions and refuses their sign-in; enabling lets them back', async () => {
      const u = await userWith(k, t, []);
      const patch = (status: string) =>
        call(k, 'PATCH', `/api/v1/iam/users/${u.id}`, { auth: t.auth, body: { status } });
      expect((await patch('disabled')).statusCode).toBe(200);
      expectProblem(await me(u.auth), 401, 'ERP_TOKEN_REVOKED');
      expectProblem(await refresh(u.refreshToken), 401, 'ERP_SESSION_REVOKED');
      expectProblem(await login(k, t.slug, u.email), 401, 'ERP_ACCOUNT_DISABLED');
      expect((await patch('active')).statusCode).toBe(200);
      expect((await login(k, t.slug, u.email)).statusCode).toBe(200);
    });
  });

  describe('passwords and lockout', () => {
    const sameAnswer = (body: Record<string, unknown>) => {
      const { requestId: _r, instance: _i, ...rest } = body;
      return rest;
    };

    it('an unknown user or tenant gets the same 401 as a wrong password', async () => {
      const u = await createUser(k, t);
      const wrong = expectProblem(
        await login(k, t.slug, u.email, 'Not-The-Password-123'),
        401,
        'ERP_AUTH_INVALID_CREDENTIALS',
      );
      const unknownUser = expectProblem(
        await login(k, t.slug, `nobody@${t.slug}.test`),
        401,
        'ERP_AUTH_INVALID_CREDENTIALS',
      );
      const unknownTenant = expectProblem(
        await login(k, 'no-such-tenant', u.email),
        401,
        'ERP_AUTH_INVALID_CREDENTIALS',
      );
      expect(sameAnswer(unknownUser)).toEqual(sameAnswer(wrong));
      expect(sameAnswer(unknownTenant)).toEqual(sameAnswer(wrong));
    });

    it(`${LOCKOUT_THRESHOLD} failures throttle the account from that source only (429 + Retry-After)`, async () => {
      const u = await createUser(k, t);
      const from = (remoteAddress: string, password = USER_PASSWORD) =>
        k.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress,
          payload: { tenant: t.slug, email: u.email, password },
        });
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++) {
        expectProblem(await from('192.0.2.50', 'Wrong-Password-999'), 401, 'ERP_AUTH_INVALID_CREDENTIALS');
      }
      const throttled = await from('192.0.2.50'); // even the right password, from that source
      expectProblem(throttled, 429, 'ERP_AUTH_THROTTLED');
      const retry = Number(throttled.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(900);
      expect((await from('192.0.2.51')).statusCode).toBe(200);
    });

    it('failures below the threshold are forgotten after a successful login', async () => {
      const u = await createUser(k, t);
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < LOCKOUT_THRESHOLD - 1; i++) {
          expect((await login(k, t.slug, u.email, 'Wrong-Password-999')).statusCode).toBe(401);
        }
        expect((await login(k, t.slug, u.email)).statusCode).toBe(200);
      }
    });

    it('refuses weak passwords naming the field, on create and on change', async () => {
      const email = `weak-${randomBytes(3).toString('hex')}@${t.slug}.test`;
      for (const password of [
        'Short-1',
        'aaaaaaaaaaaaaaaa',
        'Password1234',
        `${email.split('@')[0]}-Xy-42`,
      ]) {
        const res = await call(k, 'POST', '/api/v1/iam/users', { auth: t.auth, body: { email, password } });
        const body = expectProblem(res, 400, 'ERP_PASSWORD_WEAK');
        expect(body.errors).toEqual([{ field: '/body/password', message: expect.any(String) }]);
      }
      expect((await k.superuser.query('select 1 from erp.users where email = $1', [email])).rowCount).toBe(0);

      const u = await userWith(k, t, []);
      const other = await loginOk(k, t.slug, u.email);
      const change = (currentPassword: string, newPassword: string) =>
        call(k, 'POST', '/api/v1/auth/password', { auth: u.auth, body: { currentPassword, newPassword } });
      const wrong = expectProblem(
        await change('Not-Current-123', 'Brand-New-Staple-31'),
        400,
        'ERP_PASSWORD_WRONG',
      );
      expect(wrong.errors).toEqual([{ field: '/body/currentPassword', message: expect.any(String) }]);
      const weak = expectProblem(await change(USER_PASSWORD, 'tiny'), 400, 'ERP_PASSWORD_WEAK');
      expect(weak.errors).toEqual([{ field: '/body/newPassword', message: expect.any(String) }]);
      expect((await change(USER_PASSWORD, 'Brand-New-Staple-31')).statusCode).toBe(204);
      // The old password is gone, the new one works, other sessions ended, this one kept.
      expect((await login(k, t.slug, u.email)).statusCode).toBe(401);
      expect((await login(k, t.slug, u.email, 'Brand-New-Staple-31')).statusCode).toBe(200);
      expectProblem(await me(other.auth), 401, 'ERP_TOKEN_REVOKED');
      expect((await me(u.auth)).statusCode).toBe(200);
    });
  });

  describe('TOTP', () => {
    it('enrol and confirm; then login needs a code, a replayed code is refused; disable', async () => {
      const u = await userWith(k, t, []);
      const enrol = await call(k, 'POST', '/api/v1/auth/mfa/enroll', {
        auth: u.auth,
        body: { password: USER_PASSWORD },
      });
      expect(enrol.statusCode, enrol.body).toBe(200);
      const { secret, otpauthUrl } = enrol.json();
      expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
      // Codes of strictly increasing time steps: the previous, current and next step (the server
      // accepts one step either side and never the same or an earlier step twice). Start early in
      // a step so that the server's "current step" stays the same throughout.
      const PERIOD = 30;
      const inStep = (Date.now() / 1000) % PERIOD;
      if (inStep > PERIOD - 5) await new Promise((r) => setTimeout(r, (PERIOD - inStep + 0.2) * 1000));
      const step = Math.floor(Date.now() / 1000 / PERIOD);
      const code = (offset: -1 | 0 | 1) => generate({ secret, epoch: (step + offset) * PERIOD + 1 });
      const stale = await generate({ secret, epoch: (step - 20) * PERIOD });

      const confirmBad = await call(k, 'POST', '/api/v1/auth/mfa/confirm', {
        auth: u.auth,
        body: { otp: stale },
      });
      expectProblem(confirmBad, 400, 'ERP_MFA_INVALID');
      const confirm = await call(k, 'POST', '/api/v1/auth/mfa/confirm', {
        auth: u.auth,
        body: { otp: await code(-1) },
      });
      expect(confirm.statusCode, confirm.body).toBe(200);
      expect(confirm.json().recoveryCodes).toHaveLength(10);
      expect((await me(u.auth)).json().mfaEnabled).toBe(true);

      expectProblem(await login(k, t.slug, u.email), 401, 'ERP_MFA_REQUIRED');
      expectProblem(await login(k, t.slug, u.email, USER_PASSWORD, stale), 401, 'ERP_MFA_INVALID');
      const current = await code(0);
      expect((await login(k, t.slug, u.email, USER_PASSWORD, current)).statusCode).toBe(200);
      expectProblem(await login(k, t.slug, u.email, USER_PASSWORD, current), 401, 'ERP_MFA_INVALID');

      const disable = (password: string, otp: string) =>
        call(k, 'POST', '/api/v1/auth/mfa/disable', { auth: u.auth, body: { password, otp } });
      expectProblem(await disable('Not-The-Password-1', await code(1)), 400, 'ERP_MFA_INVALID');
      expect((await disable(USER_PASSWORD, await code(1))).statusCode).toBe(204);
      expect((await me(u.auth)).json().mfaEnabled).toBe(false);
      expect((await login(k, t.slug, u.email)).statusCode).toBe(200);
    });
  });

  describe('API keys', () => {
    const createKey = (auth: string, body: Record<string, unknown>) =>
      call(k, 'POST', '/api/v1/iam/api-keys', { auth, body });

    it('is shown once, stored hashed, and acts only within its scope', async () => {
      const res = await createKey(t.auth, { name: 'reader', permissions: ['iam.users.read'] });
      expect(res.statusCode, res.body).toBe(201);
      const { id, token, hint } = res.json();
      const key = `Bearer ${token}`;
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: key })).statusCode).toBe(200);
      expectProblem(await call(k, 'GET', '/api/v1/iam/roles', { auth: key }), 403, 'ERP_FORBIDDEN');
      expectProblem(
        await createKey(key, { name: 'child', permissions: ['iam.users.read'] }),
        403,
        'ERP_FORBIDDEN',
      );
      const whoami = (await me(key)).json();
      expect(whoami).toMatchObject({ kind: 'apiKey', apiKeyId: id, permissions: ['iam.users.read'] });

      const list = (await call(k, 'GET', '/api/v1/iam/api-keys', { auth: t.auth })).json();
      const listed = list.items.find((i: { id: string }) => i.id === id);
      expect(listed).toMatchObject({ hint, permissions: ['iam.users.read'] });
      expect(JSON.stringify(list)).not.toContain(token.split('.')[1]);
      const row = await k.superuser.query(
        'select to_jsonb(k)::text as row from erp.api_keys k where id = $1',
        [id],
      );
      expect(row.rows[0].row).not.toContain(token.split('.')[1]);
    });

    it('stops working when it expires', async () => {
      const expiresAt = new Date(Date.now() + 2500);
      const res = await createKey(t.auth, {
        name: 'short-lived',
        permissions: ['iam.users.read'],
        expiresAt: expiresAt.toISOString(),
      });
      expect(res.statusCode, res.body).toBe(201);
      const key = `Bearer ${res.json().token}`;
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: key })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, expiresAt.getTime() - Date.now() + 100));
      expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: key }), 401, 'ERP_API_KEY_EXPIRED');
      const past = await createKey(t.auth, {
        name: 'already-expired',
        permissions: ['iam.users.read'],
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      expect(expectProblem(past, 400, 'ERP_VALIDATION').errors).toEqual([
        { field: '/body/expiresAt', message: expect.any(String) },
      ]);
    });

    it('rotation: the old secret stops working, the new one works', async () => {
      const created = (await createKey(t.auth, { name: 'rotating', permissions: ['iam.users.read'] })).json();
      const old = `Bearer ${created.token}`;
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: old })).statusCode).toBe(200);
      const rotated = await call(k, 'POST', `/api/v1/iam/api-keys/${created.id}/rotate`, { auth: t.auth });
      expect(rotated.statusCode, rotated.body).toBe(200);
      expect(rotated.json().id).toBe(created.id);
      expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: old }), 401, 'ERP_API_KEY_INVALID');
      const fresh = `Bearer ${rotated.json().token}`;
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: fresh })).statusCode).toBe(200);
    });

    it('revocation: the key stops working and cannot be rotated back', async () => {
      const created = (await createKey(t.auth, { name: 'doomed', permissions: ['iam.users.read'] })).json();
      const key = `Bearer ${created.token}`;
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: key })).statusCode).toBe(200);
      const del = await call(k, 'DELETE', `/api/v1/iam/api-keys/${created.id}`, { auth: t.auth });
      expect(del.statusCode, del.body).toBe(204);
      expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: key }), 401, 'ERP_API_KEY_REVOKED');
      const again = await call(k, 'POST', `/api/v1/iam/api-keys/${created.id}/rotate`, { auth: t.auth });
      expectProblem(again, 404, 'ERP_NOT_FOUND');
    });

    it("cannot exceed its creator's permissions, at creation or later", async () => {
      const c = await userWith(k, t, ['iam.apikeys.write', 'iam.users.read']);
      for (const permissions of [
        ['iam.roles.read'],
        ['iam.*'],
        ['*'],
        ['iam.users.read', 'iam.users.write'],
      ]) {
        expectProblem(
          await createKey(c.auth, { name: 'too-much', permissions }),
          403,
          'ERP_GRANT_EXCEEDS_OWN',
        );
      }
      expectProblem(
        await createKey(c.auth, { name: 'typo', permissions: ['iam.userz.read'] }),
        400,
        'ERP_PERMISSION_UNKNOWN',
      );
      const ok = await createKey(c.auth, { name: 'fine', permissions: ['iam.users.read'] });
      expect(ok.statusCode, ok.body).toBe(201);
      const key = `Bearer ${ok.json().token}`;
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: key })).statusCode).toBe(200);
      // The creator loses the permission: the key, acting for them, loses it on the next request.
      const drop = await call(k, 'DELETE', `/api/v1/iam/users/${c.id}/roles/${c.roleId}`, { auth: t.auth });
      expect(drop.statusCode, drop.body).toBe(204);
      expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: key }), 403, 'ERP_FORBIDDEN');
    });
  });

  describe('bad tokens', () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const realKey = () => deriveKey(TEST_SECRET_KEY, 'jwt-hs256');
    const claimsOf = (tenant: TestTenant) => {
      const c = decodeJwt(tenant.auth.slice('Bearer '.length));
      return { sub: c.sub!, tid: c.tid, sid: c.sid, iss: c.iss!, aud: c.aud as string };
    };
    const sign = (key: Uint8Array, claims: ReturnType<typeof claimsOf>, exp: number) =>
      new SignJWT({ tid: claims.tid, sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setIssuedAt(exp - 900)
        .setExpirationTime(exp)
        .sign(key);

    it('are refused with 401 problem+json naming the problem, and nothing changes', async () => {
      const other = await createTenant(k);
      const claims = claimsOf(t);
      const now = Math.floor(Date.now() / 1000);
      const [header, , signature] = t.auth.slice('Bearer '.length).split('.');
      // Control: a token signed here with the real derived key is accepted, so the refusals below
      // are about what was changed in each one.
      expect((await me(`Bearer ${await sign(realKey(), claims, now + 300)}`)).statusCode).toBe(200);

      const cases: Array<[string, string | undefined, string]> = [
        ['missing header', undefined, 'ERP_UNAUTHENTICATED'],
        ['not a bearer', `Basic ${Buffer.from('admin:pw').toString('base64')}`, 'ERP_TOKEN_INVALID'],
        ['garbage', 'Bearer this-is-not-a-token', 'ERP_TOKEN_INVALID'],
        ['garbage characters', 'Bearer <script>alert(1)</script>', 'ERP_TOKEN_INVALID'],
        [
          'alg none',
          `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now + 300 })}.`,
          'ERP_TOKEN_INVALID',
        ],
        ['wrong key', `Bearer ${await sign(randomBytes(32), claims, now + 300)}`, 'ERP_TOKEN_INVALID'],
        ['expired', `Bearer ${await sign(realKey(), claims, now - 60)}`, 'ERP_TOKEN_EXPIRED'],
        [
          'tampered payload (other tenant)',
          `Bearer ${header}.${b64({ ...claims, tid: other.tenantId, exp: now + 300 })}.${signature}`,
          'ERP_TOKEN_INVALID',
        ],
        ['refresh token as access token', `Bearer ${t.refreshToken}`, 'ERP_TOKEN_INVALID'],
        [
          'forged API key',
          `Bearer erpk_${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
          'ERP_API_KEY_INVALID',
        ],
      ];
      const count = async () =>
        (await k.superuser.query('select count(*)::int as n from erp.roles')).rows[0].n as number;
      const before = await count();
      for (const [what, authorization, code] of cases) {
        const res = await call(k, 'POST', '/api/v1/iam/roles', {
          auth: authorization,
          body: { name: `bad-${randomBytes(3).toString('hex')}`, permissions: ['iam.users.read'] },
        });
        expect(`${what}: ${res.statusCode} ${res.json().code}`).toBe(`${what}: 401 ${code}`);
        expectProblem(res, 401, code);
      }
      expect(await count()).toBe(before);
    });
  });
});
