// Account recovery (issue 20): a password reset through a one-time mailed link that says nothing
// about whether the account exists, an administrator's reset of a password or second factor, and
// the user's own sessions listed and revocable. Mail goes through the development transport
// (ERP_DATA_DIR/mail/*.eml), the default when no SMTP relay is configured.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, login, loginOk, USER_PASSWORD, userWith } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

const NEW_PASSWORD = 'Fresh-Lantern-83-quiet';

describe('account recovery', () => {
  let k: TestKernel;
  let t: TestTenant;
  let mailDir: string;

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PUBLIC_URL: 'https://erp.example.test' });
    t = await createTenant(k);
    mailDir = join(k.container.cradle.config.ERP_DATA_DIR, 'mail');
  });
  afterAll(async () => k?.close());

  const mails = () => (existsSync(mailDir) ? readdirSync(mailDir).sort() : []);
  /** Waits for the mail sent after the answer; returns the new files' contents. */
  const newMails = async (before: string[], count: number) => {
    for (let i = 0; i < 100 && mails().length < before.length + count; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return mails()
      .filter((f) => !before.includes(f))
      .map((f) => readFileSync(join(mailDir, f), 'utf8'));
  };
  const decodeQp = (raw: string) =>
    raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  const tokenIn = (eml: string) => {
    const link = /https:\/\/erp\.example\.test\/reset-password\?token=([^\s]+)/.exec(decodeQp(eml));
    return decodeURIComponent(link![1]!);
  };
  const requestReset = (email: string, tenant = t.slug) =>
    call(k, 'POST', '/api/v1/auth/password-reset', { body: { tenant, email } });
  const confirm = (token: string, newPassword: string) =>
    call(k, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token, newPassword } });
  const auditActions = async (userId: string) =>
    (
      await k.superuser.query<{ action: string }>(
        `select action from (select action, resource_id, occurred_at from erp.audit_pending where tenant_id = $1
           union all select action, resource_id, occurred_at from erp.audit_entries where tenant_id = $1) a
          where resource_id = $2 order by occurred_at`,
        [t.tenantId, userId],
      )
    ).rows.map((r) => r.action);

  describe('password reset by link', () => {
    it('answers the same 202 for an unknown account, and mails only a real one', async () => {
      const u = await createUser(k, t);
      const before = mails();
      const unknown = await requestReset(`ghost-${u.email}`);
      const unknownTenant = await requestReset(u.email, 'no-such-tenant');
      const real = await requestReset(u.email);
      for (const res of [unknown, unknownTenant, real]) expect(res.statusCode, res.body).toBe(202);
      expect(unknown.body).toBe(real.body);
      expect(unknownTenant.body).toBe(real.body);
      const sent = await newMails(before, 1);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(new RegExp(`^To: ${u.email.replace('.', '\\.')}$`, 'm'));
      const file = mails().find((f) => !before.includes(f))!;
      expect(statSync(join(mailDir, file)).mode & 0o777).toBe(0o600);
      // Stored hashed: the secret of the link is not in the database.
      const token = tokenIn(sent[0]!);
      const rows = await k.superuser.query('select token_hash from erp.password_resets where user_id = $1', [
        u.id,
      ]);
      expect(rows.rowCount).toBe(1);
      expect(rows.rows[0].token_hash.toString('utf8')).not.toContain(token.split('.')[1]);
    });

    it('the link sets a new password once, checks its strength, and ends every session', async () => {
      const u = await userWith(k, t, []);
      const before = mails();
      await requestReset(u.email);
      const token = tokenIn((await newMails(before, 1))[0]!);

      const weak = expectProblem(await confirm(token, 'short'), 400, 'ERP_PASSWORD_WEAK');
      expect(weak.errors).toEqual([{ field: '/body/newPassword', message: expect.any(String) }]);
      expect((await confirm(token, NEW_PASSWORD)).statusCode).toBe(204);
      expectProblem(await call(k, 'GET', '/api/v1/auth/me', { auth: u.auth }), 401, 'ERP_TOKEN_REVOKED');
      expect((await login(k, t.slug, u.email)).statusCode).toBe(401);
      expect((await login(k, t.slug, u.email, NEW_PASSWORD)).statusCode).toBe(200);
      // Single use: replaying the link (to set the attacker's password) is refused.
      expectProblem(await confirm(token, 'Attacker-Choice-55-x'), 400, 'ERP_RESET_TOKEN_INVALID');
      expect((await login(k, t.slug, u.email, NEW_PASSWORD)).statusCode).toBe(200);
      expect(await auditActions(u.id)).toEqual(
        expect.arrayContaining([
          'auth.password-reset.requested',
          'auth.password-reset.completed',
          'auth.password-reset.refused',
        ]),
      );
    });

    it('an expired or forged link is refused and changes nothing', async () => {
      const u = await createUser(k, t);
      const before = mails();
      await requestReset(u.email);
      const token = tokenIn((await newMails(before, 1))[0]!);
      const forged = `${token.slice(0, token.indexOf('.') + 1)}${'C'.repeat(43)}`;
      expectProblem(await confirm(forged, NEW_PASSWORD), 400, 'ERP_RESET_TOKEN_INVALID');
      await k.superuser.query(
        "update erp.password_resets set expires_at = now() - interval '1 second' where user_id = $1",
        [u.id],
      );
      expectProblem(await confirm(token, NEW_PASSWORD), 400, 'ERP_RESET_TOKEN_INVALID');
      expect((await login(k, t.slug, u.email)).statusCode).toBe(200);
      expectProblem(await confirm('erpw_garbage', NEW_PASSWORD), 400, 'ERP_RESET_TOKEN_INVALID');
    });

    it('mails to one account are limited (no mail bombing), the answer stays 202', async () => {
      const u = await createUser(k, t);
      const before = mails();
      for (let i = 0; i < 5; i++) expect((await requestReset(u.email)).statusCode).toBe(202);
      const sent = await newMails(before, 3);
      expect(sent).toHaveLength(3);
      expect(await auditActions(u.id)).toContain('auth.password-reset.refused');
    });
  });

  describe('administrator resets', () => {
    it("an admin sets a user's password: sessions end, audited", async () => {
      const u = await userWith(k, t, []);
      const res = await call(k, 'POST', `/api/v1/iam/users/${u.id}/password`, {
        auth: t.auth,
        body: { newPassword: NEW_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(204);
      expectProblem(await call(k, 'GET', '/api/v1/auth/me', { auth: u.auth }), 401, 'ERP_TOKEN_REVOKED');
      expect((await login(k, t.slug, u.email, NEW_PASSWORD)).statusCode).toBe(200);
      expect(await auditActions(u.id)).toContain('auth.password.reset-by-admin');
    });

    it('a user manager cannot reset the password of someone holding more, nor an API key anyone', async () => {
      const manager = await userWith(k, t, ['iam.users.write', 'iam.users.read']);
      const attempt = await call(k, 'POST', `/api/v1/iam/users/${t.adminId}/password`, {
        auth: manager.auth,
        body: { newPassword: 'Taken-Over-Staple-9' },
      });
      expectProblem(attempt, 403, 'ERP_NOT_DOMINANT');
      expectProblem(
        await call(k, 'POST', `/api/v1/iam/users/${t.adminId}/mfa/reset`, { auth: manager.auth }),
        403,
        'ERP_NOT_DOMINANT',
      );
      const key = await call(k, 'POST', '/api/v1/iam/api-keys', {
        auth: t.auth,
        body: { name: 'users', permissions: ['iam.users.write'] },
      });
      const victim = await createUser(k, t);
      expectProblem(
        await call(k, 'POST', `/api/v1/iam/users/${victim.id}/password`, {
          auth: `Bearer ${key.json().token}`,
          body: { newPassword: 'Taken-Over-Staple-9' },
        }),
        403,
        'ERP_USER_ONLY',
      );
      expect((await login(k, t.slug, victim.email)).statusCode).toBe(200);
      expectProblem(
        await call(k, 'POST', `/api/v1/iam/users/00000000-0000-4000-8000-000000000000/mfa/reset`, {
          auth: t.auth,
        }),
        404,
        'ERP_NOT_FOUND',
      );
    });

    it("an admin resets a user's MFA: the user signs in with the password alone and enrols again", async () => {
      const u = await userWith(k, t, []);
      const enrol = await call(k, 'POST', '/api/v1/auth/mfa/enroll', {
        auth: u.auth,
        body: { password: USER_PASSWORD },
      });
      const confirmed = await call(k, 'POST', '/api/v1/auth/mfa/confirm', {
        auth: u.auth,
        body: { otp: await generate({ secret: enrol.json().secret }) },
      });
      expect(confirmed.statusCode).toBe(200);
      expectProblem(await login(k, t.slug, u.email), 401, 'ERP_MFA_REQUIRED');
      const reset = await call(k, 'POST', `/api/v1/iam/users/${u.id}/mfa/reset`, { auth: t.auth });
      expect(reset.statusCode, reset.body).toBe(204);
      expect((await login(k, t.slug, u.email)).statusCode).toBe(200);
      const codes = await k.superuser.query('select 1 from erp.mfa_recovery_codes where user_id = $1', [
        u.id,
      ]);
      expect(codes.rowCount).toBe(0);
      expect(await auditActions(u.id)).toContain('auth.mfa.reset-by-admin');
    });
  });

  describe('own sessions', () => {
    it('lists the caller’s sessions with the current one marked, and revokes one of them', async () => {
      const u = await userWith(k, t, []);
      const laptop = await loginOk(k, t.slug, u.email);
      const list = await call(k, 'GET', '/api/v1/auth/sessions', { auth: u.auth });
      expect(list.statusCode, list.body).toBe(200);
      const items = list.json().items as { id: string; current: boolean; ip: string; createdAt: string }[];
      expect(items).toHaveLength(2);
      expect(items.filter((s) => s.current)).toHaveLength(1);
      expect(items[0]).toMatchObject({ ip: '127.0.0.1', createdAt: expect.any(String) });
      const other = items.find((s) => !s.current)!;
      expect(
        (await call(k, 'DELETE', `/api/v1/auth/sessions/${other.id}`, { auth: u.auth })).statusCode,
      ).toBe(204);
      expectProblem(await call(k, 'GET', '/api/v1/auth/me', { auth: laptop.auth }), 401, 'ERP_TOKEN_REVOKED');
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: u.auth })).statusCode).toBe(200);
    });

    it("another user's session or an unknown id answers 404 and stays active", async () => {
      const u = await userWith(k, t, []);
      const victim = await userWith(k, t, []);
      const victimSessions = await call(k, 'GET', '/api/v1/auth/sessions', { auth: victim.auth });
      const victimSession = victimSessions.json().items[0].id;
      expectProblem(
        await call(k, 'DELETE', `/api/v1/auth/sessions/${victimSession}`, { auth: u.auth }),
        404,
        'ERP_NOT_FOUND',
      );
      expectProblem(
        await call(k, 'DELETE', '/api/v1/auth/sessions/00000000-0000-4000-8000-000000000000', {
          auth: u.auth,
        }),
        404,
        'ERP_NOT_FOUND',
      );
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: victim.auth })).statusCode).toBe(200);
    });
  });
});
