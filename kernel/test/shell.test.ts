// The kernel's side of the web shell: the built files at / (CSP, cache headers, the fallback for
// the shell's own routes), the first-run setup (token, race between two claimants, closed once a
// tenant exists), the refresh token in an HttpOnly cookie, and the event stream that tells a
// tenant's open shells that their UI manifest changed (and ends with the session).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupToken } from '../src/shell/index.js';
import { call, expectProblem } from './support/api.js';
import { ADMIN_PASSWORD, startTestKernel, type TestKernel } from './support/harness.js';

let k: TestKernel;
let shellDir: string;
const INDEX = '<!doctype html><title>ERP</title><script type="module" src="/assets/index-abc.js"></script>';

beforeAll(async () => {
  shellDir = mkdtempSync(join(tmpdir(), 'erp-shell-dist-'));
  mkdirSync(join(shellDir, 'assets'));
  writeFileSync(join(shellDir, 'index.html'), INDEX);
  writeFileSync(
    join(shellDir, 'assets', 'index-abc.js'),
    `export const x = ${JSON.stringify('y'.repeat(3000))};`,
  );
  k = await startTestKernel({ ERP_SHELL_DIR: shellDir }, { listen: true });
});
afterAll(async () => {
  await k?.close();
  rmSync(shellDir, { recursive: true, force: true });
});

const setupBody = (token: string, slug: string) => ({
  token,
  slug,
  name: `Org ${slug}`,
  email: `admin@${slug}.test`,
  password: ADMIN_PASSWORD,
});

describe('the shell files', () => {
  it('serves index.html under a strict CSP, revalidated on every load', async () => {
    const res = await call(k, 'GET', '/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    const again = await call(k, 'GET', '/', { headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('serves hashed assets as immutable, gzipped when asked', async () => {
    const res = await call(k, 'GET', '/assets/index-abc.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expectProblem(await call(k, 'GET', '/assets/missing.js'), 404, 'ERP_NOT_FOUND');
  });

  it('answers page requests for the shell routes with index.html, and API misses with a problem', async () => {
    const page = await call(k, 'GET', '/admin/audit', { headers: { accept: 'text/html,*/*' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(INDEX);
    expectProblem(
      await call(k, 'GET', '/api/v1/nope', { headers: { accept: 'text/html' } }),
      404,
      'ERP_ROUTE_NOT_FOUND',
    );
    expectProblem(
      await call(k, 'GET', '/admin/audit', { headers: { accept: 'application/json' } }),
      404,
      'ERP_ROUTE_NOT_FOUND',
    );
    expectProblem(
      await call(k, 'POST', '/admin/audit', { headers: { accept: 'text/html' } }),
      404,
      'ERP_ROUTE_NOT_FOUND',
    );
  });
});

describe('first-run setup', () => {
  it('refuses a wrong token and changes nothing', async () => {
    expect((await call(k, 'GET', '/api/v1/setup')).json()).toEqual({ needed: true });
    const res = await call(k, 'POST', '/api/v1/setup', { body: setupBody('x'.repeat(43), 'evil') });
    expectProblem(res, 403, 'ERP_SETUP_TOKEN_INVALID');
    expect((await call(k, 'GET', '/api/v1/setup')).json()).toEqual({ needed: true });
  });

  it('names the field a weak password fails', async () => {
    const token = setupToken(k.container.cradle.secrets);
    const res = await call(k, 'POST', '/api/v1/setup', {
      body: { ...setupBody(token, 'weak'), password: 'short' },
    });
    const body = expectProblem(res, 400, 'ERP_SETUP_INVALID');
    expect(body.errors).toEqual([{ field: '/body/password', message: expect.stringMatching(/at least/) }]);
  });

  it('lets exactly one of two simultaneous claimants create the first tenant, then closes', async () => {
    const token = setupToken(k.container.cradle.secrets);
    const post = (slug: string) =>
      fetch(`${k.url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(setupBody(token, slug)),
      });
    const answers = await Promise.all([post('first-a'), post('first-b')]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const { rows } = await k.superuser.query('select slug from erp.tenants');
    expect(rows).toHaveLength(1);
    expect((await call(k, 'GET', '/api/v1/setup')).json()).toEqual({ needed: false });
    expectProblem(
      await call(k, 'POST', '/api/v1/setup', { body: setupBody(token, 'late') }),
      409,
      'ERP_SETUP_DONE',
    );
    // Audited as the setup's doing (sealed into the chain by the background sealer).
    await vi.waitFor(
      async () => {
        const audit = await k.superuser.query(
          "select actor_id from erp.audit_entries where action = 'kernel.tenant.created'",
        );
        expect(audit.rows).toEqual([{ actor_id: 'kernel.setup' }]);
      },
      { timeout: 10_000, interval: 100 },
    );
  });
});

describe('the session cookie and the UI event stream', () => {
  let slug: string;
  beforeAll(async () => {
    slug = (await k.superuser.query<{ slug: string }>('select slug from erp.tenants')).rows[0]!.slug;
  });
  const login = () =>
    call(k, 'POST', '/api/v1/auth/login', {
      body: { tenant: slug, email: `admin@${slug}.test`, password: ADMIN_PASSWORD, refreshIn: 'cookie' },
    });
  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    String(res.headers['set-cookie']).split(';')[0]!;

  it('keeps the refresh token out of the body, in an HttpOnly SameSite=Strict cookie for the refresh path', async () => {
    const res = await login();
    expect(res.statusCode).toBe(200);
    expect(res.json().refreshToken).toBeUndefined();
    expect(res.json().accessToken).toEqual(expect.any(String));
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(
      /^erp_refresh=erpr_[^;]+; Path=\/api\/v1\/auth\/refresh; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    // The cookie refreshes (and rotates); the replaced one is refused as a reuse.
    const refreshed = await call(k, 'POST', '/api/v1/auth/refresh', {
      body: {},
      headers: { cookie: cookieOf(res) },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().refreshToken).toBeUndefined();
    expect(cookieOf(refreshed)).not.toBe(cookieOf(res));
    const reused = await call(k, 'POST', '/api/v1/auth/refresh', {
      body: {},
      headers: { cookie: cookieOf(res) },
    });
    expectProblem(reused, 401, 'ERP_REFRESH_REUSED');
    expectProblem(await call(k, 'POST', '/api/v1/auth/refresh', { body: {} }), 401, 'ERP_REFRESH_MISSING');
  });

  it('tells the tenant\u2019s open shells when their UI manifest changes, and ends with the session', async () => {
    const auth = `Bearer ${(await login()).json().accessToken}`;
    const res = await fetch(`${k.url}/api/v1/ui/events`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (re: RegExp) => {
      while (!re.test(text)) {
        const { value, done } = await reader.read();
        if (done) return false;
        text += decoder.decode(value, { stream: true });
      }
      return true;
    };
    expect(await until(/event: ready/)).toBe(true);
    // A change to a role may change what users see: the stream says so (delivered at commit).
    const role = await call(k, 'POST', '/api/v1/iam/roles', {
      auth,
      body: { name: 'Clerks', permissions: ['kernel.plugins.read'] },
    });
    expect(role.statusCode).toBe(201);
    const changed = await call(k, 'PATCH', `/api/v1/iam/roles/${role.json().id}`, {
      auth,
      body: { permissions: ['kernel.plugins.read', 'iam.users.read'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(await until(/event: ui-manifest-changed\ndata: \{"reason":"roles"\}/)).toBe(true);
    // Logging out revokes the session: the stream ends.
    expect((await call(k, 'POST', '/api/v1/auth/logout', { auth, body: {} })).statusCode).toBe(204);
    expect(await until(/will never match/)).toBe(false);
  });

  it('reaches the streams of another kernel instance when a plugin is installed through this one', async () => {
    const other = await startTestKernel(
      { DATABASE_URL: k.databaseUrl, ERP_SHELL_DIR: shellDir },
      { listen: true },
    );
    try {
      const auth = `Bearer ${(await login()).json().accessToken}`;
      const res = await fetch(`${other.url}/api/v1/ui/events`, { headers: { authorization: auth } });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (re: RegExp) => {
        while (!re.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
      };
      await until(/event: ready/);
      const installed = await call(k, 'POST', '/api/v1/plugins/installations', {
        auth,
        body: { plugin: '@erp-plugin/warehouses' },
      });
      expect(installed.statusCode, installed.body).toBe(201);
      await until(/event: ui-manifest-changed\ndata: \{"reason":"plugin:warehouses"\}/);
      await reader.cancel();
    } finally {
      await other.close();
    }
  });

  it('refuses the stream without a credential', async () => {
    const res = await fetch(`${k.url}/api/v1/ui/events`);
    expect(res.status).toBe(401);
  });
});
