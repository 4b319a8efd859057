// Credential oracles, written as the attacks of the security review (issue 20): a forged
// X-Forwarded-For, account enumeration through the sign-in answers, keeping a victim locked out,
// password guessing through /auth/password and /auth/mfa/disable, MFA takeover with a stolen
// access token, bad API keys and refresh tokens without a limit. Each is refused, changes nothing,
// and the attempt is audited.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { call, createUser, expectProblem, login, loginOk, USER_PASSWORD, userWith } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const PER_PAIR = 3; // failures per account and source
const PER_ACCOUNT = 6; // failures per account from every source
const PER_SOURCE = 8; // failures per source a minute
const PROXY = '10.9.8.7';

const stripVolatile = (body: Record<string, unknown>) => {
  const { requestId: _r, instance: _i, ...rest } = body;
  return rest;
};

describe('credential hardening', () => {
  let k: TestKernel;
  let t: TestTenant;

  beforeAll(async () => {
    k = await startTestKernel({
      ERP_TRUST_PROXY: PROXY,
      ERP_LOCKOUT_THRESHOLD: String(PER_PAIR),
      ERP_THROTTLE_ACCOUNT_MAX: String(PER_ACCOUNT),
      ERP_RATE_LIMIT_LOGIN_IP: String(PER_SOURCE),
    });
    t = await createTenant(k);
  });
  afterAll(async () => k?.close());

  const loginFrom = (
    remoteAddress: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => k.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, headers, payload: body });

  const failuresOf = async (email: string) =>
    (
      await k.superuser.query<{ client_ip: string; reason: string }>(
        `select client_ip, change::jsonb->>'reason' as reason from erp.audit_pending
          where tenant_id = $1 and action = 'auth.login.failed' and change::jsonb->>'email' = $2
         union all
         select client_ip, change::jsonb->>'reason' from erp.audit_entries
          where tenant_id = $1 and action = 'auth.login.failed' and change::jsonb->>'email' = $2`,
        [t.tenantId, email],
      )
    ).rows;

  describe('trusted proxies', () => {
    it('ERP_TRUST_PROXY=true is refused with the new form; lists and CIDR ranges are accepted', () => {
      expect(() => loadConfig({ ERP_TRUST_PROXY: 'true' })).toThrow(/ERP_TRUST_PROXY.*addresses or CIDR/);
      expect(() => loadConfig({ ERP_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/ERP_TRUST_PROXY/);
      expect(() => loadConfig({ ERP_TRUST_PROXY: 'proxy.example' })).toThrow(/ERP_TRUST_PROXY/);
      expect(loadConfig({ ERP_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,loopback,::1' }).trustedProxies).toEqual([
        '10.0.0.1',
        '10.1.0.0/16',
        'loopback',
        '::1',
      ]);
      expect(loadConfig({}).trustedProxies).toEqual([]);
    });

    it('a forged X-Forwarded-For from a direct client neither changes its address nor escapes the limit', async () => {
      const email = `nobody-${Date.now()}@${t.slug}.test`;
      const attacker = '198.51.100.77';
      const answers: number[] = [];
      for (let i = 0; i < PER_SOURCE + 2; i++) {
        const res = await loginFrom(
          attacker,
          { tenant: t.slug, email: `${i}-${email}`, password: 'Guess-Number-42-x' },
          { 'x-forwarded-for': `203.0.113.${i}` },
        );
        answers.push(res.statusCode);
      }
      expect(answers.slice(0, PER_SOURCE)).toEqual(Array(PER_SOURCE).fill(401));
      expect(answers.slice(PER_SOURCE)).toEqual([429, 429]);
      // The audit names the peer, not the address the client chose.
      const rows = await failuresOf(`0-${email}`);
      expect(rows.map((r) => r.client_ip)).toEqual([attacker]);
    });

    it('behind a trusted proxy the right-most untrusted address is the client, not the forged left-most one', async () => {
      const email = `nobody2-${Date.now()}@${t.slug}.test`;
      await loginFrom(
        PROXY,
        { tenant: t.slug, email, password: 'Guess-Number-42-x' },
        // The client forged 1.2.3.4; the proxy appended the address it saw.
        { 'x-forwarded-for': '1.2.3.4, 198.51.100.5' },
      );
      expect((await failuresOf(email)).map((r) => r.client_ip)).toEqual(['198.51.100.5']);
    });
  });

  describe('enumeration', () => {
    it('unknown account, wrong password and throttled account look alike', async () => {
      const u = await createUser(k, t);
      const source = '198.51.100.20';
      const wrong = await loginFrom(source, {
        tenant: t.slug,
        email: u.email,
        password: 'Not-The-Password-1',
      });
      const unknown = await loginFrom(source, {
        tenant: t.slug,
        email: `ghost-${u.email}`,
        password: 'Not-The-Password-1',
      });
      expect(unknown.statusCode).toBe(wrong.statusCode);
      expect(stripVolatile(unknown.json())).toEqual(stripVolatile(wrong.json()));
      expectProblem(wrong, 401, 'ERP_AUTH_INVALID_CREDENTIALS');

      // Throttle both: the real account and the unknown one answer the same 429.
      for (let i = 1; i < PER_PAIR; i++) {
        await loginFrom(source, { tenant: t.slug, email: u.email, password: 'Not-The-Password-1' });
        await loginFrom(source, {
          tenant: t.slug,
          email: `ghost-${u.email}`,
          password: 'Not-The-Password-1',
        });
      }
      const realThrottled = await loginFrom(source, {
        tenant: t.slug,
        email: u.email,
        password: USER_PASSWORD,
      });
      const ghostThrottled = await loginFrom(source, {
        tenant: t.slug,
        email: `ghost-${u.email}`,
        password: USER_PASSWORD,
      });
      expectProblem(realThrottled, 429, 'ERP_AUTH_THROTTLED');
      expect(ghostThrottled.statusCode).toBe(429);
      expect(stripVolatile(ghostThrottled.json())).toEqual(stripVolatile(realThrottled.json()));
      expect(Number(ghostThrottled.headers['retry-after'])).toBeGreaterThan(0);
      expect((await failuresOf(u.email)).map((r) => r.reason)).toContain('throttled');
    });
  });

  describe('lockout by a third party', () => {
    it("an attacker's failures from other sources do not keep the owner out from the owner's address", async () => {
      const u = await createUser(k, t);
      const home = '192.0.2.10';
      // The owner has signed in from home before.
      expect(
        (await loginFrom(home, { tenant: t.slug, email: u.email, password: USER_PASSWORD })).statusCode,
      ).toBe(200);
      // The attacker uses up the per-account limit from several addresses.
      let n = 0;
      for (let ip = 1; n < PER_ACCOUNT + 2; ip++) {
        for (let i = 0; i < PER_PAIR && n < PER_ACCOUNT + 2; i++, n++) {
          await loginFrom(`203.0.113.${ip}`, { tenant: t.slug, email: u.email, password: 'Guess-1234-abcd' });
        }
      }
      // A new address now gets the 429, right password or not ...
      expectProblem(
        await loginFrom('203.0.113.200', { tenant: t.slug, email: u.email, password: USER_PASSWORD }),
        429,
        'ERP_AUTH_THROTTLED',
      );
      // ... but the owner, from an address it signed in from before, still gets in.
      const owner = await loginFrom(home, { tenant: t.slug, email: u.email, password: USER_PASSWORD });
      expect(owner.statusCode, owner.body).toBe(200);
    });
  });

  describe('several instances', () => {
    it('the limits hold across instances: failures on one count on the other', async () => {
      const other = await startTestKernel({
        DATABASE_URL: k.databaseUrl,
        ERP_TRUST_PROXY: PROXY,
        ERP_LOCKOUT_THRESHOLD: String(PER_PAIR),
        ERP_THROTTLE_ACCOUNT_MAX: String(PER_ACCOUNT),
        ERP_RATE_LIMIT_LOGIN_IP: String(PER_SOURCE),
      });
      try {
        const u = await createUser(k, t);
        const source = '198.51.100.60';
        const attempt = (on: TestKernel, password: string) =>
          on.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            remoteAddress: source,
            payload: { tenant: t.slug, email: u.email, password },
          });
        // Alternate the instances, as a load balancer would.
        for (let i = 0; i < PER_PAIR; i++) {
          expect((await attempt(i % 2 ? other : k, 'Guess-1234-abcd')).statusCode).toBe(401);
        }
        expectProblem(await attempt(other, USER_PASSWORD), 429, 'ERP_AUTH_THROTTLED');
        expectProblem(await attempt(k, USER_PASSWORD), 429, 'ERP_AUTH_THROTTLED');
      } finally {
        await other.close();
      }
    });
  });

  describe('password oracles behind a stolen access token', () => {
    it('/auth/password is throttled and every wrong guess is audited', async () => {
      const victim = await userWith(k, t, []);
      const guess = (currentPassword: string) =>
        k.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          remoteAddress: '198.51.100.90',
          headers: { authorization: victim.auth },
          payload: { currentPassword, newPassword: 'Taken-Over-Staple-9' },
        });
      for (let i = 0; i < PER_PAIR; i++)
        expectProblem(await guess(`Guess-${i}-abcdefgh`), 400, 'ERP_PASSWORD_WRONG');
      // The right password is no longer even checked from there.
      expectProblem(await guess(USER_PASSWORD), 429, 'ERP_AUTH_THROTTLED');
      expect((await login(k, t.slug, victim.email)).statusCode).toBe(200); // unchanged
      const audited = await k.superuser.query(
        `select count(*)::int as n from erp.audit_pending where tenant_id = $1 and action = 'auth.step-up.failed'
            and actor_id = $2`,
        [t.tenantId, victim.id],
      );
      const sealed = await k.superuser.query(
        `select count(*)::int as n from erp.audit_entries where tenant_id = $1 and action = 'auth.step-up.failed'
            and actor_id = $2`,
        [t.tenantId, victim.id],
      );
      expect(audited.rows[0].n + sealed.rows[0].n).toBe(PER_PAIR + 1);
    });

    it('/auth/mfa/disable is throttled', async () => {
      const victim = await userWith(k, t, []);
      const enrol = await call(k, 'POST', '/api/v1/auth/mfa/enroll', {
        auth: victim.auth,
        body: { password: USER_PASSWORD },
      });
      const secret = enrol.json().secret;
      const confirm = await call(k, 'POST', '/api/v1/auth/mfa/confirm', {
        auth: victim.auth,
        body: { otp: await generate({ secret }) },
      });
      expect(confirm.statusCode, confirm.body).toBe(200);
      const guess = (password: string) =>
        k.app.inject({
          method: 'POST',
          url: '/api/v1/auth/mfa/disable',
          remoteAddress: '198.51.100.91',
          headers: { authorization: victim.auth },
          payload: { password, otp: '000000' },
        });
      for (let i = 0; i < PER_PAIR; i++)
        expectProblem(await guess(`Guess-${i}-abcdefgh`), 400, 'ERP_MFA_INVALID');
      expectProblem(await guess(USER_PASSWORD), 429, 'ERP_AUTH_THROTTLED');
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: victim.auth })).json().mfaEnabled).toBe(true);
    });
  });

  describe('MFA takeover with a stolen access token', () => {
    it('cannot enrol a new authenticator, disable MFA or change the password without the password', async () => {
      const victim = await userWith(k, t, []);
      const stolen = victim.auth;
      // Enrolment without a body, with a wrong password, or as an array: refused, nothing enrolled.
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/mfa/enroll', { auth: stolen }),
        400,
        'ERP_VALIDATION',
      );
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/mfa/enroll', { auth: stolen, body: [] }),
        400,
        'ERP_VALIDATION',
      );
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/mfa/enroll', {
          auth: stolen,
          body: { password: 'Not-It-12345' },
        }),
        400,
        'ERP_PASSWORD_WRONG',
      );
      const row = await k.superuser.query('select totp_secret_enc from erp.users where id = $1', [victim.id]);
      expect(row.rows[0].totp_secret_enc).toBeNull();
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/mfa/disable', { auth: stolen, body: { otp: '123456' } }),
        400,
        'ERP_VALIDATION',
      );
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/password', {
          auth: stolen,
          body: { newPassword: 'Taken-Over-99-x' },
        }),
        400,
        'ERP_VALIDATION',
      );
      expect((await login(k, t.slug, victim.email)).statusCode).toBe(200);
    });

    it('routes without input refuse a body: logout with an array changes nothing', async () => {
      const u = await userWith(k, t, []);
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/logout', { auth: u.auth, body: [] }),
        400,
        'ERP_VALIDATION',
      );
      expectProblem(
        await call(k, 'POST', '/api/v1/auth/logout', { auth: u.auth, body: { all: true } }),
        400,
        'ERP_VALIDATION',
      );
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: u.auth })).statusCode).toBe(200);
      expect((await call(k, 'POST', '/api/v1/auth/logout', { auth: u.auth, body: {} })).statusCode).toBe(204);
    });
  });

  describe('recovery codes', () => {
    it('are shown once at confirmation, each works once in place of a code, and can be regenerated', async () => {
      const u = await userWith(k, t, []);
      const enrol = await call(k, 'POST', '/api/v1/auth/mfa/enroll', {
        auth: u.auth,
        body: { password: USER_PASSWORD },
      });
      const secret = enrol.json().secret;
      const confirm = await call(k, 'POST', '/api/v1/auth/mfa/confirm', {
        auth: u.auth,
        body: { otp: await generate({ secret }) },
      });
      const codes: string[] = confirm.json().recoveryCodes;
      expect(new Set(codes).size).toBe(10);
      const stored = await k.superuser.query(
        'select code_hash from erp.mfa_recovery_codes where user_id = $1',
        [u.id],
      );
      expect(stored.rowCount).toBe(10);
      expect(stored.rows.map((r) => r.code_hash.toString())).not.toContain(codes[0]);

      const withCode = (recoveryCode: string) =>
        call(k, 'POST', '/api/v1/auth/login', {
          body: { tenant: t.slug, email: u.email, password: USER_PASSWORD, recoveryCode },
        });
      expect((await withCode(codes[0]!)).statusCode).toBe(200);
      expectProblem(await withCode(codes[0]!), 401, 'ERP_MFA_INVALID'); // spent

      const fresh = await loginOk(k, t.slug, u.email).catch(() => null);
      expect(fresh).toBeNull(); // MFA still required
      const regen = await call(k, 'POST', '/api/v1/auth/mfa/recovery-codes', {
        auth: u.auth,
        body: { password: USER_PASSWORD, recoveryCode: codes[1] },
      });
      expect(regen.statusCode, regen.body).toBe(200);
      const next: string[] = regen.json().recoveryCodes;
      expectProblem(await withCode(codes[2]!), 401, 'ERP_MFA_INVALID'); // the old set is gone
      expect((await withCode(next[0]!)).statusCode).toBe(200);
    });
  });

  describe('refresh tokens and API keys', () => {
    it('refused refresh tokens count toward the source limit', async () => {
      const source = '198.51.100.150';
      const bad = `erpr_${Buffer.alloc(32, 1).toString('base64url')}.${'A'.repeat(43)}`;
      const codes: number[] = [];
      for (let i = 0; i < PER_SOURCE + 1; i++) {
        const res = await k.app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh',
          remoteAddress: source,
          payload: { refreshToken: bad },
        });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, PER_SOURCE)).toEqual(Array(PER_SOURCE).fill(401));
      expect(codes[PER_SOURCE]).toBe(429);
    });

    it('bad API keys count toward the source limit; then even a good key from there waits', async () => {
      const created = await call(k, 'POST', '/api/v1/iam/api-keys', {
        auth: t.auth,
        body: { name: 'probe', permissions: ['iam.users.read'] },
      });
      const good: string = created.json().token;
      const forged = `${good.slice(0, good.indexOf('.') + 1)}${'B'.repeat(43)}`;
      const source = '198.51.100.151';
      const use = (token: string) =>
        k.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          remoteAddress: source,
          headers: { authorization: `Bearer ${token}` },
        });
      const codes: number[] = [];
      for (let i = 0; i < PER_SOURCE + 1; i++) codes.push((await use(forged)).statusCode);
      expect(codes.slice(0, PER_SOURCE)).toEqual(Array(PER_SOURCE).fill(401));
      expect(codes[PER_SOURCE]).toBe(429);
      expectProblem(await use(good), 429, 'ERP_AUTH_THROTTLED');
      // Each refused key is in the tenant's audit, with the address that tried it.
      const refused = await k.superuser.query<{ client_ip: string; reason: string }>(
        `select client_ip, change::jsonb->>'reason' as reason from erp.audit_pending
          where tenant_id = $1 and action = 'auth.credential.refused' and resource_id = $2
         union all
         select client_ip, change::jsonb->>'reason' from erp.audit_entries
          where tenant_id = $1 and action = 'auth.credential.refused' and resource_id = $2`,
        [t.tenantId, created.json().id],
      );
      expect(refused.rows).toHaveLength(PER_SOURCE + 1);
      expect(refused.rows[0]).toEqual({ client_ip: source, reason: 'ERP_API_KEY_INVALID' });
      // Another source is not affected.
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: `Bearer ${good}` })).statusCode).toBe(200);
    });
  });
});
