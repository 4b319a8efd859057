// RBAC: every mounted route is guarded (the enumeration test), permission changes apply on the
// next request without a restart, a user without roles is refused, and nobody can hand out a
// permission they do not hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRole, expectProblem, userWith } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

// Routes anyone may call without a credential. Adding one here is a conscious, reviewed act.
const PUBLIC_ROUTES = [
  'GET /health/live',
  'GET /health/ready',
  'GET /openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  // Account recovery: always 202 / a one-time token from the mailed link.
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  // The CORS plugin's preflight responder (answers preflights, 404s anything else).
  'OPTIONS *',
  // Verifier keys of the audit checkpoints: public keys, published so anyone can check a checkpoint.
  'GET /api/v1/audit/keys',
  // Plugins' browser assets from the catalogue (code, not tenant data; the URL names the version).
  'GET /plugins/:id/:version/*',
  // The web shell's files (kernel/src/shell): the page and its hashed assets, no data.
  'GET /',
  'GET /assets/*',
  // First-run setup: whether it is open, and the creation guarded by the printed setup token.
  'GET /api/v1/setup',
  'POST /api/v1/setup',
  // Prometheus's scrape: its own bearer token (ERP_METRICS_TOKEN), 404 when none is configured.
  'GET /metrics',
  // A third-party plugin element's frame page (kernel/src/plugin-ui): code under a strict CSP, no data.
  'GET /ui-frame/:plugin/:version/:element',
  // OAuth's token endpoint: the client proves itself with the code and its PKCE verifier.
  'POST /api/v1/oauth/token',
  'POST /api/v1/oauth/revoke',
  'POST /api/v1/oauth/introspect',
  // The OAuth consent page and its own script and style (no data: the page resumes the session
  // from the shell's refresh cookie in the browser and decides nothing itself).
  'GET /oauth/authorize',
  'GET /oauth/consent.js',
  'GET /oauth/consent.css',
];
// Third-party static routes mounted under a prefix (the Swagger UI), public as a whole.
const PUBLIC_PREFIXES = ['/docs'];
// Routes any signed-in principal may call, whatever their roles (they act on the caller only).
const AUTHENTICATED_ROUTES = [
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/mfa/enroll',
  'POST /api/v1/auth/mfa/confirm',
  'POST /api/v1/auth/mfa/disable',
  'POST /api/v1/auth/mfa/recovery-codes',
  'GET /api/v1/auth/sessions',
  'DELETE /api/v1/auth/sessions/:id',
  // What the caller's tenant has installed: its API document and its UI manifest.
  'GET /api/v1/openapi.json',
  'GET /api/v1/ui/manifest',
  // The stream that says the caller's UI manifest changed (no data beyond that).
  'GET /api/v1/ui/events',
  // OAuth: the signed-in user consents for themself (only permissions they hold) or revokes their grant.
  'POST /api/v1/oauth/authorize',
  // The consent page's decision: the signed-in user's own, with the page's CSRF ticket and cookie.
  'POST /api/v1/oauth/consent',
  'DELETE /api/v1/oauth/grants/:id',
  // A scoped, short-lived token for a plugin's frame: a user session only, for the caller's permissions.
  'POST /api/v1/ui/plugin-tokens',
  // Plugin routes: the dispatcher checks each plugin route's own declared permission.
  ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => `${m} /api/v1/p/:plugin/*`),
];

describe('rbac', () => {
  let k: TestKernel;
  let t: TestTenant;

  beforeAll(async () => {
    k = await startTestKernel();
    t = await createTenant(k);
  });
  afterAll(async () => k?.close());

  describe('route guards', () => {
    // HEAD twins share their GET route's access rule; they are listed under the GET.
    const routes = () => k.app.registeredRoutes.filter((r) => r.method !== 'HEAD');
    const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

    it('every registered route has an access rule; non-public ones name a registered permission', () => {
      const all = k.app.registeredRoutes;
      expect(all.length).toBeGreaterThan(20);
      expect(all.filter((r) => r.access === undefined).map(key)).toEqual([]);
      const { permissions } = k.container.cradle;
      const unregistered = all
        .filter((r) => typeof r.access === 'object' && !permissions.has(r.access.permission))
        .map((r) => `${key(r)} needs ${(r.access as { permission: string }).permission}`);
      expect(unregistered).toEqual([]);
      // HEAD twins carry the same rule as their GET.
      for (const head of all.filter((r) => r.method === 'HEAD')) {
        const get = all.find((r) => r.method === 'GET' && r.url === head.url);
        expect(head.access, key(head)).toEqual(get?.access);
      }
    });

    it('public routes are exactly the listed ones', () => {
      const isPrefixed = (url: string) => PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));
      const publicRoutes = routes().filter((r) => r.access === 'public');
      expect(
        publicRoutes
          .filter((r) => !isPrefixed(r.url))
          .map(key)
          .sort(),
      ).toEqual([...PUBLIC_ROUTES].sort());
      // Nothing under a public prefix is guarded by mistake, and nothing else hides there.
      expect(
        routes()
          .filter((r) => isPrefixed(r.url) && r.access !== 'public')
          .map(key),
      ).toEqual([]);
    });

    it('routes open to any signed-in principal are exactly the listed ones', () => {
      const open = routes().filter((r) => r.access === 'authenticated');
      expect(open.map(key).sort()).toEqual([...AUTHENTICATED_ROUTES].sort());
    });

    it('every non-public route refuses a request without a credential', async () => {
      const guarded = routes().filter((r) => r.access !== 'public');
      const answers: string[] = [];
      for (const r of guarded) {
        const url = r.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
        const res = await call(k, r.method as 'GET', url, { body: r.schema.body ? {} : undefined });
        answers.push(`${key(r)} -> ${res.statusCode} ${res.json().code}`);
      }
      expect(answers).toEqual(answers.map((a) => a.replace(/-> .*$/, '-> 401 ERP_UNAUTHENTICATED')));
    });

    it('every permission-guarded route refuses a signed-in user without roles (403 before validation)', async () => {
      const nobody = await userWith(k, t, []);
      const guarded = routes().filter((r) => typeof r.access === 'object');
      const answers: string[] = [];
      for (const r of guarded) {
        const url = r.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
        // An invalid body on purpose: the permission check comes first and reveals nothing.
        const res = await call(k, r.method as 'GET', url, {
          auth: nobody.auth,
          body: r.schema.body ? { bogus: true } : undefined,
        });
        answers.push(`${key(r)} -> ${res.statusCode} ${res.json().code}`);
      }
      expect(answers).toEqual(answers.map((a) => a.replace(/-> .*$/, '-> 403 ERP_FORBIDDEN')));
    });
  });

  it('a user without roles gets 403 problem+json with ERP_FORBIDDEN naming the permission', async () => {
    const nobody = await userWith(k, t, []);
    const body = expectProblem(
      await call(k, 'GET', '/api/v1/iam/users', { auth: nobody.auth }),
      403,
      'ERP_FORBIDDEN',
    );
    expect(body.detail).toContain('iam.users.read');
    expect((await call(k, 'GET', '/api/v1/auth/me', { auth: nobody.auth })).json().permissions).toEqual([]);
  });

  it('role changes take effect on the next request, without a restart', async () => {
    const u = await userWith(k, t, []);
    const roleId = await createRole(k, t, ['iam.users.read']);
    const users = () => call(k, 'GET', '/api/v1/iam/users', { auth: u.auth });
    const roles = () => call(k, 'GET', '/api/v1/iam/roles', { auth: u.auth });
    const admin = (method: 'PUT' | 'DELETE' | 'PATCH', url: string, body?: unknown) =>
      call(k, method, url, { auth: t.auth, body }).then((r) =>
        expect(r.statusCode, r.body).toBeLessThan(300),
      );

    expectProblem(await users(), 403, 'ERP_FORBIDDEN');
    await admin('PUT', `/api/v1/iam/users/${u.id}/roles/${roleId}`);
    expect((await users()).statusCode).toBe(200); // granted
    expectProblem(await roles(), 403, 'ERP_FORBIDDEN');

    await admin('PATCH', `/api/v1/iam/roles/${roleId}`, { permissions: ['iam.roles.read'] });
    expectProblem(await users(), 403, 'ERP_FORBIDDEN'); // the role changed under the user
    expect((await roles()).statusCode).toBe(200);

    await admin('DELETE', `/api/v1/iam/users/${u.id}/roles/${roleId}`);
    expectProblem(await roles(), 403, 'ERP_FORBIDDEN'); // revoked

    await admin('PUT', `/api/v1/iam/users/${u.id}/roles/${roleId}`);
    expect((await roles()).statusCode).toBe(200);
    await admin('DELETE', `/api/v1/iam/roles/${roleId}`);
    expectProblem(await roles(), 403, 'ERP_FORBIDDEN'); // the role is gone altogether
  });

  it('wildcard grants cover their area and nothing else', async () => {
    const u = await userWith(k, t, ['iam.roles.*']);
    expect((await call(k, 'GET', '/api/v1/iam/roles', { auth: u.auth })).statusCode).toBe(200);
    expect((await call(k, 'GET', '/api/v1/iam/permissions', { auth: u.auth })).statusCode).toBe(200);
    expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: u.auth }), 403, 'ERP_FORBIDDEN');
  });

  describe('no privilege escalation', () => {
    it('a role administrator cannot create or widen a role beyond their own permissions', async () => {
      const e = await userWith(k, t, ['iam.roles.write', 'iam.roles.read']);
      const create = (permissions: string[]) =>
        call(k, 'POST', '/api/v1/iam/roles', {
          auth: e.auth,
          body: { name: `esc-${permissions.join('-').replaceAll('*', 'all')}`, permissions },
        });
      for (const permissions of [['iam.users.write'], ['iam.users.*'], ['iam.*'], ['*']]) {
        const body = expectProblem(await create(permissions), 403, 'ERP_GRANT_EXCEEDS_OWN');
        const named = /^Granting (\S+) needs/.exec(String(body.detail))?.[1];
        expect(['iam.roles.write', 'iam.roles.read']).not.toContain(named); // names one they lack
        expect(named).toBeTruthy();
      }
      expect((await create(['iam.roles.read'])).statusCode).toBe(201);
      // Nor by widening their own role in place.
      const widen = await call(k, 'PATCH', `/api/v1/iam/roles/${e.roleId}`, {
        auth: e.auth,
        body: { permissions: ['iam.roles.write', 'iam.roles.read', 'iam.users.write'] },
      });
      expectProblem(widen, 403, 'ERP_GRANT_EXCEEDS_OWN');
      const stored = await k.superuser.query('select permissions from erp.roles where id = $1', [e.roleId]);
      expect(stored.rows[0].permissions.sort()).toEqual(['iam.roles.read', 'iam.roles.write']);
    });

    it('a role administrator cannot assign a stronger role, not even to themself', async () => {
      const e = await userWith(k, t, ['iam.roles.write', 'iam.roles.read']);
      const adminRole = await k.superuser.query<{ id: string }>(
        "select id from erp.roles where tenant_id = $1 and name = 'Administrator'",
        [t.tenantId],
      );
      const res = await call(k, 'PUT', `/api/v1/iam/users/${e.id}/roles/${adminRole.rows[0]!.id}`, {
        auth: e.auth,
      });
      expectProblem(res, 403, 'ERP_GRANT_EXCEEDS_OWN');
      expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: e.auth }), 403, 'ERP_FORBIDDEN');
      const assigned = await k.superuser.query('select role_id from erp.user_roles where user_id = $1', [
        e.id,
      ]);
      expect(assigned.rows).toEqual([{ role_id: e.roleId }]);
    });

    it('an unknown permission is refused naming the entry', async () => {
      const res = await call(k, 'POST', '/api/v1/iam/roles', {
        auth: t.auth,
        body: { name: 'typo', permissions: ['iam.users.read', 'iam.userz.read'] },
      });
      const body = expectProblem(res, 400, 'ERP_PERMISSION_UNKNOWN');
      expect(body.errors).toEqual([
        { field: '/body/permissions/1', message: expect.stringContaining('iam.userz.read') },
      ]);
    });
  });
});
