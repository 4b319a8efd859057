// Who may act on whom, written as the attacks a security review tried inside a tenant: each is
// refused with a stable code, changes nothing (checked in the rows), and leaves an audit entry.
// The tenant always keeps an active administrator, also under concurrent requests.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRole, createUser, expectProblem, login, loginOk, userWith } from './support/api.js';
import {
  createTenant,
  startTestKernel,
  TEST_SECRET_KEY,
  type TestKernel,
  type TestTenant,
} from './support/harness.js';

interface Refusal {
  actor_type: string;
  actor_id: string | null;
  resource_type: string;
  resource_id: string;
  change: { attempted: string; code: string; missing?: string[] };
}

describe('iam dominance and the last administrator', () => {
  let k: TestKernel;
  let t: TestTenant;

  beforeAll(async () => {
    // Many sign-ins from one address (every actor is a fresh user); login throttling is not under test here.
    // The account-wide throttle is lowered so that one test can use it up quickly.
    k = await startTestKernel({ ERP_RATE_LIMIT_LOGIN_IP: '10000', ERP_THROTTLE_ACCOUNT_MAX: '12' });
    t = await createTenant(k);
  });
  afterAll(async () => k?.close());

  const q = async <R>(text: string, params: unknown[]): Promise<R[]> =>
    (await k.superuser.query(text, params)).rows as R[];

  /** Refusal entries of the tenant about one resource, sealed or still pending. */
  const refusals = (tenantId: string, resourceId: string) =>
    q<Refusal>(
      `select actor_type, actor_id, resource_type, resource_id, change::jsonb as change from (
         select actor_type, actor_id, resource_type, resource_id, change, action, tenant_id from erp.audit_pending
         union all
         select actor_type, actor_id, resource_type, resource_id, change, action, tenant_id from erp.audit_entries) e
        where tenant_id = $1 and action = 'iam.access.refused' and resource_id = $2`,
      [tenantId, resourceId],
    );

  const adminRoleOf = async (tenantId: string) =>
    (
      await q<{ id: string }>("select id from erp.roles where tenant_id = $1 and name = 'Administrator'", [
        tenantId,
      ])
    )[0]!.id;

  const createKey = async (auth: string, permissions: string[]) => {
    const res = await call(k, 'POST', '/api/v1/iam/api-keys', {
      auth,
      body: { name: `key-${randomBytes(3).toString('hex')}`, permissions },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id, token } = res.json();
    return { id: id as string, auth: `Bearer ${token}` };
  };

  const keyRow = async (id: string) =>
    (
      await q<{ key_hash: Buffer; rotated_at: Date | null; revoked_at: Date | null }>(
        'select key_hash, rotated_at, revoked_at from erp.api_keys where id = $1',
        [id],
      )
    )[0]!;

  const rolesOf = async (userId: string) =>
    (
      await q<{ role_id: string }>('select role_id from erp.user_roles where user_id = $1 order by role_id', [
        userId,
      ])
    ).map((r) => r.role_id);

  const passwordHashOf = async (userId: string) =>
    (await q<{ password_hash: string }>('select password_hash from erp.users where id = $1', [userId]))[0]!
      .password_hash;

  /** The `locked` flag of the user view, as the tenant's administrator sees it. */
  const lockedOf = async (userId: string) => {
    const res = await call(k, 'GET', `/api/v1/iam/users/${userId}`, { auth: t.auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().locked as boolean;
  };

  /** Throttle rows of an account (account-wide and per source), by the key layout of auth/throttle.ts. */
  const throttleRows = async (tenantId: string, email: string) => {
    const h = createHash('sha256').update(`${tenantId}\u0000${email.toLowerCase()}`).digest('base64url');
    return (
      await q(`select 1 from erp.auth_throttle where key = $1 or key like $2`, [`acc:${h}`, `acs:${h}.%`])
    ).length;
  };

  describe('API keys: the rotation takeover', () => {
    it('a key manager cannot rotate or revoke the administrator\u2019s key, nor learn its secret', async () => {
      const adminKey = await createKey(t.auth, ['*']);
      const manager = await userWith(k, t, ['iam.apikeys.write', 'iam.apikeys.read']);
      const before = await keyRow(adminKey.id);

      const rotate = await call(k, 'POST', `/api/v1/iam/api-keys/${adminKey.id}/rotate`, {
        auth: manager.auth,
      });
      const body = expectProblem(rotate, 403, 'ERP_NOT_DOMINANT');
      expect(body.detail).toContain('you lack: *');
      expect(rotate.body).not.toContain('erpk_');
      expectProblem(
        await call(k, 'DELETE', `/api/v1/iam/api-keys/${adminKey.id}`, { auth: manager.auth }),
        403,
        'ERP_NOT_DOMINANT',
      );

      // Nothing changed: same secret, not rotated, not revoked, and the admin's automation works.
      const after = await keyRow(adminKey.id);
      expect(after.key_hash.equals(before.key_hash)).toBe(true);
      expect(after.rotated_at).toBeNull();
      expect(after.revoked_at).toBeNull();
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: adminKey.auth })).statusCode).toBe(200);

      const audited = await refusals(t.tenantId, adminKey.id);
      expect(audited.map((r) => [r.actor_type, r.actor_id, r.change.attempted, r.change.code])).toEqual(
        expect.arrayContaining([
          ['user', manager.id, 'iam.apikey.rotate', 'ERP_NOT_DOMINANT'],
          ['user', manager.id, 'iam.apikey.revoke', 'ERP_NOT_DOMINANT'],
        ]),
      );
      expect(audited[0]!.change.missing).toEqual(['*']);
    });

    it('an API key scoped to iam.apikeys.write cannot rotate any key, not even a weaker one', async () => {
      const writerKey = await createKey(t.auth, ['iam.apikeys.write']);
      const victim = await createKey(t.auth, ['iam.users.read']);
      const before = await keyRow(victim.id);
      const res = await call(k, 'POST', `/api/v1/iam/api-keys/${victim.id}/rotate`, { auth: writerKey.auth });
      expectProblem(res, 403, 'ERP_USER_ONLY');
      expect((await keyRow(victim.id)).key_hash.equals(before.key_hash)).toBe(true);
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: victim.auth })).statusCode).toBe(200);
      const audited = await refusals(t.tenantId, victim.id);
      expect(audited).toEqual([
        expect.objectContaining({
          actor_type: 'apiKey',
          actor_id: writerKey.id,
          change: { attempted: 'iam.apikey.rotate', code: 'ERP_USER_ONLY' },
        }),
      ]);
    });

    it('a key holds its scopes within its creator\u2019s rights: a weak creator\u2019s `*` key is weak', async () => {
      // The creator held more when the key was made; what counts is what the key can do now.
      const creator = await userWith(k, t, ['iam.apikeys.write', 'iam.apikeys.read', 'iam.users.read']);
      const key = await createKey(creator.auth, ['iam.apikeys.read', 'iam.users.read']);
      const manager = await userWith(k, t, ['iam.apikeys.write', 'iam.apikeys.read']);
      expectProblem(
        await call(k, 'POST', `/api/v1/iam/api-keys/${key.id}/rotate`, { auth: manager.auth }),
        403,
        'ERP_NOT_DOMINANT',
      );
      // Take iam.users.read from the creator: the key can no longer use it, and the manager now dominates it.
      const res = await call(k, 'PATCH', `/api/v1/iam/roles/${creator.roleId}`, {
        auth: t.auth,
        body: { permissions: ['iam.apikeys.write', 'iam.apikeys.read'] },
      });
      expect(res.statusCode, res.body).toBe(200);
      const rotated = await call(k, 'POST', `/api/v1/iam/api-keys/${key.id}/rotate`, { auth: manager.auth });
      expect(rotated.statusCode, rotated.body).toBe(200);
    });

    it('owners and stronger principals still rotate and revoke', async () => {
      const manager = await userWith(k, t, ['iam.apikeys.write', 'iam.apikeys.read']);
      const own = await createKey(manager.auth, ['iam.apikeys.read']);
      const rotated = await call(k, 'POST', `/api/v1/iam/api-keys/${own.id}/rotate`, { auth: manager.auth });
      expect(rotated.statusCode, rotated.body).toBe(200);
      const byAdmin = await call(k, 'DELETE', `/api/v1/iam/api-keys/${own.id}`, { auth: t.auth });
      expect(byAdmin.statusCode, byAdmin.body).toBe(204);
    });
  });

  describe('users', () => {
    it('a holder of iam.users.write cannot disable, rename or unlock the administrator', async () => {
      const editor = await userWith(k, t, ['iam.users.write', 'iam.users.read']);
      const sessionsBefore = await q(
        'select id from erp.sessions where user_id = $1 and revoked_at is null',
        [t.adminId],
      );
      const url = `/api/v1/iam/users/${t.adminId}`;
      const disable = await call(k, 'PATCH', url, { auth: editor.auth, body: { status: 'disabled' } });
      expect(expectProblem(disable, 403, 'ERP_NOT_DOMINANT').detail).toContain('*');
      expectProblem(await call(k, 'POST', `${url}/unlock`, { auth: editor.auth }), 403, 'ERP_NOT_DOMINANT');
      expectProblem(
        await call(k, 'PATCH', url, { auth: editor.auth, body: { displayName: 'Mallory' } }),
        403,
        'ERP_NOT_DOMINANT',
      );
      const [admin] = await q<{ status: string; display_name: string }>(
        'select status, display_name from erp.users where id = $1',
        [t.adminId],
      );
      expect(admin).toEqual({ status: 'active', display_name: 'Administrator' });
      const sessionsAfter = await q('select id from erp.sessions where user_id = $1 and revoked_at is null', [
        t.adminId,
      ]);
      expect(sessionsAfter).toEqual(sessionsBefore);
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: t.auth })).statusCode).toBe(200);
      const audited = await refusals(t.tenantId, t.adminId);
      expect(
        audited
          .filter((r) => r.actor_id === editor.id)
          .map((r) => r.change.attempted)
          .sort(),
      ).toEqual(['iam.user.unlock', 'iam.user.update', 'iam.user.update']);
      // A user they dominate is theirs to disable.
      const weak = await createUser(k, t);
      const ok = await call(k, 'PATCH', `/api/v1/iam/users/${weak.id}`, {
        auth: editor.auth,
        body: { status: 'disabled' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
    });

    it('a holder of iam.users.write cannot re-enable a disabled administrator', async () => {
      const own = await createTenant(k);
      const formerAdmin = await createUser(k, own, [await adminRoleOf(own.tenantId)]);
      const off = await call(k, 'PATCH', `/api/v1/iam/users/${formerAdmin.id}`, {
        auth: own.auth,
        body: { status: 'disabled' },
      });
      expect(off.statusCode, off.body).toBe(200);
      const editor = await userWith(k, own, ['iam.users.write', 'iam.users.read']);
      const res = await call(k, 'PATCH', `/api/v1/iam/users/${formerAdmin.id}`, {
        auth: editor.auth,
        body: { status: 'active' },
      });
      expectProblem(res, 403, 'ERP_NOT_DOMINANT');
      const [row] = await q<{ status: string }>('select status from erp.users where id = $1', [
        formerAdmin.id,
      ]);
      expect(row!.status).toBe('disabled');
      expect((await refusals(own.tenantId, formerAdmin.id)).map((r) => r.change.code)).toEqual([
        'ERP_NOT_DOMINANT',
      ]);
    });

    it('a holder of iam.sessions.write cannot sign the administrator out', async () => {
      const revoker = await userWith(k, t, ['iam.sessions.write']);
      const res = await call(k, 'POST', `/api/v1/iam/users/${t.adminId}/sessions/revoke`, {
        auth: revoker.auth,
      });
      expectProblem(res, 403, 'ERP_NOT_DOMINANT');
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: t.auth })).statusCode).toBe(200);
    });

    it('an API key cannot create a user (who would outlive the key)', async () => {
      const key = await createKey(t.auth, ['iam.users.write']);
      const email = `made-by-key-${randomBytes(3).toString('hex')}@${t.slug}.test`;
      const res = await call(k, 'POST', '/api/v1/iam/users', {
        auth: key.auth,
        body: { email, password: 'Staple-Horse-77-correct' },
      });
      expectProblem(res, 403, 'ERP_USER_ONLY');
      expect(await q('select id from erp.users where email = $1', [email])).toEqual([]);
      expect(await refusals(t.tenantId, 'new')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actor_type: 'apiKey',
            actor_id: key.id,
            resource_type: 'user',
            change: { attempted: 'iam.user.create', code: 'ERP_USER_ONLY' },
          }),
        ]),
      );
    });
  });

  describe('roles: delegated managers', () => {
    it('cannot assign a role holding more than they hold, wildcards included', async () => {
      // Holds every iam permission one by one, but not the wildcard that also covers future ones.
      const iamPermissions = [
        'iam.users.read',
        'iam.users.write',
        'iam.roles.read',
        'iam.roles.write',
        'iam.apikeys.read',
        'iam.apikeys.write',
        'iam.sessions.write',
      ];
      const manager = await userWith(k, t, iamPermissions);
      const target = await createUser(k, t);
      const stronger = await createRole(k, t, ['kernel.tenant.write']);
      const wildcard = await createRole(k, t, ['iam.*']);
      for (const [roleId, lacking] of [
        [stronger, 'kernel.tenant.write'],
        [wildcard, 'iam.*'],
        [await adminRoleOf(t.tenantId), null],
      ] as const) {
        const res = await call(k, 'PUT', `/api/v1/iam/users/${target.id}/roles/${roleId}`, {
          auth: manager.auth,
        });
        const body = expectProblem(res, 403, 'ERP_GRANT_EXCEEDS_OWN');
        const named = /^Granting (\S+) needs/.exec(String(body.detail))?.[1];
        if (lacking) expect(named).toBe(lacking);
        else expect(iamPermissions).not.toContain(named);
      }
      expect(await rolesOf(target.id)).toEqual([]);
      const audited = await refusals(t.tenantId, target.id);
      expect(audited.map((r) => [r.actor_id, r.change.attempted, r.change.code])).toEqual([
        [manager.id, 'iam.role.assign', 'ERP_GRANT_EXCEEDS_OWN'],
        [manager.id, 'iam.role.assign', 'ERP_GRANT_EXCEEDS_OWN'],
        [manager.id, 'iam.role.assign', 'ERP_GRANT_EXCEEDS_OWN'],
      ]);
      expect(audited.flatMap((r) => r.change.missing)).toEqual(
        expect.arrayContaining(['kernel.tenant.write', 'iam.*']),
      );
    });

    it('cannot change, narrow or delete a role that holds more than they hold', async () => {
      const manager = await userWith(k, t, ['iam.roles.write', 'iam.roles.read']);
      const strong = await createRole(k, t, ['iam.users.write', 'iam.roles.read']);
      const url = `/api/v1/iam/roles/${strong}`;
      for (const body of [{ permissions: ['iam.roles.read'] }, { name: 'renamed' }]) {
        expectProblem(await call(k, 'PATCH', url, { auth: manager.auth, body }), 403, 'ERP_NOT_DOMINANT');
      }
      expectProblem(await call(k, 'DELETE', url, { auth: manager.auth }), 403, 'ERP_NOT_DOMINANT');
      const [row] = await q<{ name: string; permissions: string[] }>(
        'select name, permissions from erp.roles where id = $1',
        [strong],
      );
      expect(row!.permissions.sort()).toEqual(['iam.roles.read', 'iam.users.write']);
      expect(row!.name).not.toBe('renamed');
      expect((await refusals(t.tenantId, strong)).map((r) => r.change.attempted).sort()).toEqual([
        'iam.role.delete',
        'iam.role.update',
        'iam.role.update',
      ]);
    });

    it('a holder of iam.roles.write cannot take Administrator from the administrator', async () => {
      const manager = await userWith(k, t, ['iam.roles.write', 'iam.roles.read']);
      const adminRole = await adminRoleOf(t.tenantId);
      const res = await call(k, 'DELETE', `/api/v1/iam/users/${t.adminId}/roles/${adminRole}`, {
        auth: manager.auth,
      });
      expectProblem(res, 403, 'ERP_NOT_DOMINANT');
      expect(await rolesOf(t.adminId)).toEqual([adminRole]);
      expect(
        (await refusals(t.tenantId, t.adminId)).some((r) => r.change.attempted === 'iam.role.unassign'),
      ).toBe(true);
    });
  });

  describe('every admin action on a stronger user: one gate', () => {
    it('a delegated manager holding less than the user is refused each action, nothing changes, each attempt audited', async () => {
      // The manager holds every IAM write permission and the role it would hand out, but not
      // kernel.tenant.write, which the target holds.
      const manager = await userWith(k, t, [
        'iam.users.write',
        'iam.users.read',
        'iam.sessions.write',
        'iam.roles.write',
        'iam.roles.read',
      ]);
      const target = await userWith(k, t, ['kernel.tenant.write', 'iam.users.read']);
      const handedOut = await createRole(k, t, ['iam.users.read']);
      for (let i = 0; i < 5; i++) await login(k, t.slug, target.email, 'Wrong-Password-0');
      expect(await lockedOf(target.id)).toBe(true);
      const before = {
        hash: await passwordHashOf(target.id),
        roles: await rolesOf(target.id),
        sessions: await q('select id from erp.sessions where user_id = $1 and revoked_at is null', [
          target.id,
        ]),
      };

      const url = `/api/v1/iam/users/${target.id}`;
      const attempts: Array<[string, Promise<LightMyRequestResponse>]> = [
        [
          'auth.password.reset-by-admin',
          call(k, 'POST', `${url}/password`, {
            auth: manager.auth,
            body: { newPassword: 'Taken-Over-Staple-9' },
          }),
        ],
        ['auth.mfa.reset-by-admin', call(k, 'POST', `${url}/mfa/reset`, { auth: manager.auth })],
        ['iam.user.unlock', call(k, 'POST', `${url}/unlock`, { auth: manager.auth })],
        ['iam.user.sessions-revoke', call(k, 'POST', `${url}/sessions/revoke`, { auth: manager.auth })],
        ['iam.role.assign', call(k, 'PUT', `${url}/roles/${handedOut}`, { auth: manager.auth })],
      ];
      for (const [action, pending] of attempts) {
        const body = expectProblem(await pending, 403, 'ERP_NOT_DOMINANT');
        expect(body.detail, action).toContain('kernel.tenant.write');
      }

      expect(await passwordHashOf(target.id)).toEqual(before.hash);
      expect(await rolesOf(target.id)).toEqual(before.roles);
      expect(
        await q('select id from erp.sessions where user_id = $1 and revoked_at is null', [target.id]),
      ).toEqual(before.sessions);
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: target.auth })).statusCode).toBe(200);
      expect(await lockedOf(target.id)).toBe(true);
      const audited = (await refusals(t.tenantId, target.id)).filter((r) => r.actor_id === manager.id);
      expect(audited.map((r) => r.change.attempted).sort()).toEqual(attempts.map(([a]) => a).sort());
      for (const r of audited) {
        expect(r).toMatchObject({
          actor_type: 'user',
          resource_type: 'user',
          change: { code: 'ERP_NOT_DOMINANT', missing: ['kernel.tenant.write'] },
        });
      }

      // The same manager may do each of them to a user it dominates.
      const weak = await userWith(k, t, ['iam.users.read']);
      const weakUrl = `/api/v1/iam/users/${weak.id}`;
      for (const res of [
        await call(k, 'POST', `${weakUrl}/password`, {
          auth: manager.auth,
          body: { newPassword: 'Granted-Reset-Staple-9' },
        }),
        await call(k, 'POST', `${weakUrl}/mfa/reset`, { auth: manager.auth }),
        await call(k, 'POST', `${weakUrl}/unlock`, { auth: manager.auth }),
        await call(k, 'POST', `${weakUrl}/sessions/revoke`, { auth: manager.auth }),
        await call(k, 'PUT', `${weakUrl}/roles/${handedOut}`, { auth: manager.auth }),
      ]) {
        expect(res.statusCode, res.body).toBeLessThan(300);
      }
    });

    it('an API key is refused credential resets and one\u2019s own account is refused too, both audited', async () => {
      const key = await createKey(t.auth, ['iam.users.write']);
      const victim = await createUser(k, t);
      expectProblem(
        await call(k, 'POST', `/api/v1/iam/users/${victim.id}/password`, {
          auth: key.auth,
          body: { newPassword: 'Taken-Over-Staple-9' },
        }),
        403,
        'ERP_USER_ONLY',
      );
      expectProblem(
        await call(k, 'POST', `/api/v1/iam/users/${t.adminId}/mfa/reset`, { auth: t.auth }),
        403,
        'ERP_USE_SELF_SERVICE',
      );
      expect(
        (await refusals(t.tenantId, victim.id)).map((r) => [r.actor_type, r.actor_id, r.change.code]),
      ).toEqual([['apiKey', key.id, 'ERP_USER_ONLY']]);
      expect(
        (await refusals(t.tenantId, t.adminId))
          .filter((r) => r.change.attempted === 'auth.mfa.reset-by-admin')
          .map((r) => r.change.code),
      ).toEqual(['ERP_USE_SELF_SERVICE']);
    });
  });

  describe('lock state comes from the credential throttle', () => {
    it('failed sign-ins show as locked; unlock clears every source\u2019s count, audited', async () => {
      const u = await createUser(k, t);
      expect(await lockedOf(u.id)).toBe(false);
      for (let i = 0; i < 5; i++) {
        expectProblem(
          await login(k, t.slug, u.email, 'Wrong-Password-0'),
          401,
          'ERP_AUTH_INVALID_CREDENTIALS',
        );
      }
      // From this address the right password is held back now.
      expectProblem(await login(k, t.slug, u.email), 429, 'ERP_AUTH_THROTTLED');
      expect(await lockedOf(u.id)).toBe(true);
      expect(await throttleRows(t.tenantId, u.email)).toBeGreaterThanOrEqual(2);
      const list = await call(k, 'GET', `/api/v1/iam/users?q=${encodeURIComponent(u.email)}`, {
        auth: t.auth,
      });
      expect(list.json().items).toEqual([expect.objectContaining({ id: u.id, locked: true })]);

      const unlock = await call(k, 'POST', `/api/v1/iam/users/${u.id}/unlock`, { auth: t.auth });
      expect(unlock.statusCode, unlock.body).toBe(200);
      expect(unlock.json()).toMatchObject({ id: u.id, locked: false });
      expect(await throttleRows(t.tenantId, u.email)).toBe(0);
      expect((await login(k, t.slug, u.email)).statusCode).toBe(200);
      const [entry] = await q<{ change: { wasThrottled: boolean } }>(
        `select change::jsonb as change from (
           select tenant_id, action, resource_id, change from erp.audit_pending
           union all select tenant_id, action, resource_id, change from erp.audit_entries) e
          where tenant_id = $1 and action = 'iam.user.unlocked' and resource_id = $2`,
        [t.tenantId, u.id],
      );
      expect(entry!.change).toEqual({ wasThrottled: true });
      // The columns of the old lock are gone (migration 0012).
      const columns = await q<{ column_name: string }>(
        `select column_name from information_schema.columns
          where table_schema = 'erp' and table_name = 'users' and column_name in ('failed_logins', 'locked_until')`,
        [],
      );
      expect(columns).toEqual([]);
    });

    it('an account-wide count used up from many addresses also shows, and an admin password reset clears it', async () => {
      const u = await createUser(k, t);
      // 12 failures spread over 6 addresses: no address reaches its own limit (5), the account does (12).
      for (let i = 0; i < 12; i++) {
        const res = await k.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: `198.51.100.${(i % 6) + 1}`,
          payload: { tenant: t.slug, email: u.email, password: 'Wrong-Password-0' },
        });
        expect(res.statusCode, res.body).toBe(401);
      }
      expect(await lockedOf(u.id)).toBe(true);
      const reset = await call(k, 'POST', `/api/v1/iam/users/${u.id}/password`, {
        auth: t.auth,
        body: { newPassword: 'Fresh-Lantern-83-quiet' },
      });
      expect(reset.statusCode, reset.body).toBe(204);
      expect(await lockedOf(u.id)).toBe(false);
      expect(await throttleRows(t.tenantId, u.email)).toBe(0);
    });
  });

  describe('the last administrator', () => {
    it('cannot lose Administrator, nor `*` through its role being changed or deleted', async () => {
      const own = await createTenant(k);
      const adminRole = await adminRoleOf(own.tenantId);
      const unassign = (auth: string, userId: string, roleId: string) =>
        call(k, 'DELETE', `/api/v1/iam/users/${userId}/roles/${roleId}`, { auth });

      // The only administrator cannot drop their own Administrator role.
      expectProblem(await unassign(own.auth, own.adminId, adminRole), 409, 'ERP_LAST_ADMIN');
      expect(await rolesOf(own.adminId)).toEqual([adminRole]);

      // Hand administration to a custom `*` role held by someone else, then step down: allowed.
      const root = await createRole(k, own, ['*']);
      const heir = await createUser(k, own, [root]);
      const heirSession = await loginOk(k, own.slug, heir.email);
      expect((await unassign(own.auth, own.adminId, adminRole)).statusCode).toBe(204);

      // The heir is now the last administrator: none of these may take `*` away from them.
      const rootUrl = `/api/v1/iam/roles/${root}`;
      const attempts = [
        () =>
          call(k, 'PATCH', rootUrl, { auth: heirSession.auth, body: { permissions: ['iam.users.read'] } }),
        () => call(k, 'DELETE', rootUrl, { auth: heirSession.auth }),
        () => unassign(heirSession.auth, heir.id, root),
      ];
      for (const attempt of attempts) expectProblem(await attempt(), 409, 'ERP_LAST_ADMIN');
      const [role] = await q<{ permissions: string[] }>('select permissions from erp.roles where id = $1', [
        root,
      ]);
      expect(role!.permissions).toEqual(['*']);
      expect(await rolesOf(heir.id)).toEqual([root]);
      const audited = [...(await refusals(own.tenantId, root)), ...(await refusals(own.tenantId, heir.id))];
      expect(audited.map((r) => `${r.change.attempted} ${r.change.code}`).sort()).toEqual([
        'iam.role.delete ERP_LAST_ADMIN',
        'iam.role.unassign ERP_LAST_ADMIN',
        'iam.role.update ERP_LAST_ADMIN',
      ]);
      // Renaming the role or keeping `*` in it is fine.
      const rename = await call(k, 'PATCH', rootUrl, { auth: heirSession.auth, body: { name: 'Root' } });
      expect(rename.statusCode, rename.body).toBe(200);
    });

    it('of two administrators one may disable the other; the one left cannot disable themself', async () => {
      const own = await createTenant(k);
      const second = await createUser(k, own, [await adminRoleOf(own.tenantId)]);
      const session = await loginOk(k, own.slug, second.email);
      const first = await call(k, 'PATCH', `/api/v1/iam/users/${own.adminId}`, {
        auth: session.auth,
        body: { status: 'disabled' },
      });
      expect(first.statusCode, first.body).toBe(200);
      const self = await call(k, 'PATCH', `/api/v1/iam/users/${second.id}`, {
        auth: session.auth,
        body: { status: 'disabled' },
      });
      expectProblem(self, 409, 'ERP_SELF_DISABLE');
      const [row] = await q<{ status: string }>('select status from erp.users where id = $1', [second.id]);
      expect(row!.status).toBe('active');
    });

    describe('under concurrency: two admins removing each other, one must remain', () => {
      const rounds = 6;
      for (let round = 0; round < rounds; round++) {
        const mode = round % 2 === 0 ? 'unassign' : 'disable';
        it(`round ${round + 1}: ${mode}`, async () => {
          const own = await createTenant(k);
          const adminRole = await adminRoleOf(own.tenantId);
          const second = await createUser(k, own, [adminRole]);
          const secondSession = await loginOk(k, own.slug, second.email);
          const remove = (auth: string, userId: string) =>
            mode === 'unassign'
              ? call(k, 'DELETE', `/api/v1/iam/users/${userId}/roles/${adminRole}`, { auth })
              : call(k, 'PATCH', `/api/v1/iam/users/${userId}`, { auth, body: { status: 'disabled' } });
          const answers = await Promise.all([
            remove(own.auth, second.id),
            remove(secondSession.auth, own.adminId),
          ]);
          const codes = answers.map((r) => r.statusCode).sort();
          // One wins; the other is refused: last administrator, or (the winner disabled the
          // loser first) its session no longer counts, or (the winner unassigned the loser
          // first) the loser no longer holds iam.roles.write when its access is checked.
          expect(
            codes.filter((c) => c < 300),
            answers.map((a) => a.body).join(' | '),
          ).toHaveLength(1);
          for (const r of answers.filter((a) => a.statusCode >= 300)) {
            expect(['ERP_LAST_ADMIN', 'ERP_TOKEN_REVOKED', 'ERP_NOT_DOMINANT', 'ERP_FORBIDDEN']).toContain(
              r.json().code,
            );
          }
          const [admins] = await q<{ n: number }>(
            `select count(distinct u.id)::int as n from erp.users u
               join erp.user_roles ur on ur.user_id = u.id join erp.roles r on r.id = ur.role_id
              where u.tenant_id = $1 and u.status = 'active' and '*' = any(r.permissions)`,
            [own.tenantId],
          );
          expect(admins!.n).toBe(1);
        });
      }
    });
  });

  describe('break-glass: erp tenant grant-admin', () => {
    const erp = (args: string[]): Promise<{ code: number; out: string }> =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', join(import.meta.dirname, '../src/cli/main.ts'), ...args],
          {
            cwd: join(import.meta.dirname, '..'),
            env: {
              PATH: process.env.PATH ?? '',
              LOG_LEVEL: 'silent',
              ERP_SECRET_KEY: TEST_SECRET_KEY,
              DATABASE_URL: k.databaseUrl,
              ERP_DATA_DIR: k.container.cradle.config.ERP_DATA_DIR,
            },
            timeout: 60_000,
          },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
        );
      });

    it('restores an administrator to a tenant that has none, audited as the operator', async () => {
      const own = await createTenant(k);
      const user = await createUser(k, own);
      // The state the review reached: the only admin disabled and stripped, by a direct edit.
      await k.superuser.query("update erp.users set status = 'disabled' where id = $1", [own.adminId]);
      await k.superuser.query('delete from erp.user_roles where user_id = $1', [own.adminId]);
      // And the user's own sign-ins held back by the throttle (a forgotten password, say).
      for (let i = 0; i < 5; i++) await login(k, own.slug, user.email, 'Wrong-Password-0');
      expect(await throttleRows(own.tenantId, user.email)).toBeGreaterThan(0);
      await k.superuser.query("update erp.users set status = 'disabled' where id = $1", [user.id]);

      const run = await erp([
        'tenant',
        'grant-admin',
        '--tenant',
        own.slug,
        '--email',
        user.email.toUpperCase(),
      ]);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain(user.email);
      expect(run.out).toContain('role Administrator assigned');
      expect(run.out).toContain('account re-enabled');
      expect(run.out).toContain('sign-in lockout cleared');

      const [row] = await q<{ status: string }>('select status from erp.users where id = $1', [user.id]);
      expect(row).toEqual({ status: 'active' });
      expect(await throttleRows(own.tenantId, user.email)).toBe(0);
      expect(await rolesOf(user.id)).toEqual([await adminRoleOf(own.tenantId)]);
      const session = await loginOk(k, own.slug, user.email);
      expect((await call(k, 'GET', '/api/v1/iam/users', { auth: session.auth })).statusCode).toBe(200);
      const audited = await q<{ actor_type: string; actor_id: string; change: Record<string, unknown> }>(
        `select actor_type, actor_id, change::jsonb as change from (
           select tenant_id, actor_type, actor_id, action, resource_id, change from erp.audit_pending
           union all
           select tenant_id, actor_type, actor_id, action, resource_id, change from erp.audit_entries) e
          where tenant_id = $1 and action = 'iam.break-glass.grant-admin' and resource_id = $2`,
        [own.tenantId, user.id],
      );
      expect(audited).toEqual([
        {
          actor_type: 'system',
          actor_id: 'operator',
          change: expect.objectContaining({ assigned: true, reenabled: true, unlocked: true }),
        },
      ]);

      // Again: nothing left to do, said so, and still recorded.
      const again = await erp(['tenant', 'grant-admin', '--tenant', own.slug, '--email', user.email]);
      expect(again.code, again.out).toBe(0);
      expect(again.out).toContain('already held role Administrator');
    });

    it('bad input exits 2 naming the flag and changes nothing', async () => {
      const own = await createTenant(k);
      const cases: Array<[string[], string]> = [
        [['--tenant', 'no-such-tenant', '--email', own.adminEmail], '--tenant'],
        [['--tenant', own.slug, '--email', 'nobody@example.test'], '--email'],
        [['--tenant', own.slug], '--email is required'],
      ];
      for (const [args, named] of cases) {
        const run = await erp(['tenant', 'grant-admin', ...args]);
        expect(run.code, run.out).toBe(2);
        expect(run.out).toContain(named);
      }
      const entries = await q(
        `select 1 from erp.audit_pending where tenant_id = $1 and action = 'iam.break-glass.grant-admin'
         union all select 1 from erp.audit_entries where tenant_id = $1 and action = 'iam.break-glass.grant-admin'`,
        [own.tenantId],
      );
      expect(entries).toEqual([]);
    });
  });
});
