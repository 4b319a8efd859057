// HTTP conventions: bad requests get problem+json naming what is wrong, limits answer 413/429,
// security headers and the CORS allowlist apply, 500s hide their insides, the OpenAPI document
// covers every API route, and logs never contain passwords, tokens or keys.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, login, loginOk } from './support/api.js';
import { ADMIN_PASSWORD, createTenant, startTestKernel, type TestKernel } from './support/harness.js';

const ALLOWED_ORIGIN = 'https://app.example.test';
const PER_USER_LIMIT = 5;
const LOGINS_PER_IP = 10;

describe('http conventions', () => {
  let k: TestKernel;
  const logLines: string[] = [];

  beforeAll(async () => {
    k = await startTestKernel(
      {
        LOG_LEVEL: 'info',
        ERP_BODY_LIMIT: '2048',
        ERP_RATE_LIMIT_USER: String(PER_USER_LIMIT),
        ERP_RATE_LIMIT_LOGIN_IP: String(LOGINS_PER_IP),
        ERP_CORS_ORIGINS: ALLOWED_ORIGIN,
      },
      { logStream: { write: (line: string) => void logLines.push(line) } },
    );
  });
  afterAll(async () => k?.close());

  const rawPost = (url: string, payload: string, headers: Record<string, string> = {}) =>
    k.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });

  describe('bad requests', () => {
    it('malformed JSON answers 400 ERP_MALFORMED_JSON, on public and guarded routes', async () => {
      const t = await createTenant(k);
      expectProblem(await rawPost('/api/v1/auth/login', '{"tenant": "x", '), 400, 'ERP_MALFORMED_JSON');
      expectProblem(await rawPost('/api/v1/auth/login', ''), 400, 'ERP_MALFORMED_JSON');
      const guarded = await rawPost('/api/v1/iam/roles', '{"name": ', { authorization: t.auth });
      expectProblem(guarded, 400, 'ERP_MALFORMED_JSON');
    });

    it('an unknown field answers 400 naming /body/<field>, and nothing is created', async () => {
      const t = await createTenant(k);
      const res = await call(k, 'POST', '/api/v1/iam/roles', {
        auth: t.auth,
        body: { name: 'sneaky', permissions: [], builtin: true },
      });
      const body = expectProblem(res, 400, 'ERP_VALIDATION');
      expect(body.errors).toEqual([{ field: '/body/builtin', message: 'is not a known field' }]);
      expect(body.detail).toContain('/body/builtin');
      const rows = await k.superuser.query(
        "select 1 from erp.roles where tenant_id = $1 and name = 'sneaky'",
        [t.tenantId],
      );
      expect(rows.rowCount).toBe(0);
    });

    it('a mistyped or missing field answers 400 naming it, in the body, query and path', async () => {
      const typed = expectProblem(
        await call(k, 'POST', '/api/v1/auth/login', {
          body: { tenant: 5, email: 'a@b.test', password: 'x' },
        }),
        400,
        'ERP_VALIDATION',
      );
      expect(typed.errors).toContainEqual({ field: '/body/tenant', message: 'must be string' });
      const missing = expectProblem(
        await call(k, 'POST', '/api/v1/auth/login', { body: { tenant: 'acme', email: 'a@b.test' } }),
        400,
        'ERP_VALIDATION',
      );
      expect(missing.errors).toEqual([{ field: '/body/password', message: 'is required' }]);
      // Not coerced: a number where a string is expected in a body is an error, not a conversion.
      const t = await createTenant(k);
      const query = expectProblem(
        await call(k, 'GET', '/api/v1/iam/users?limit=lots', { auth: t.auth }),
        400,
        'ERP_VALIDATION',
      );
      expect(JSON.stringify(query.errors)).toContain('/limit');
      const param = expectProblem(
        await call(k, 'GET', '/api/v1/iam/users/not-a-uuid', { auth: t.auth }),
        400,
        'ERP_VALIDATION',
      );
      expect(param.errors).toEqual([{ field: '/params/id', message: expect.stringContaining('uuid') }]);
    });

    it('an oversized body answers 413 ERP_BODY_TOO_LARGE', async () => {
      const big = JSON.stringify({ tenant: 'acme', email: 'a@b.test', password: 'x'.repeat(3000) });
      expectProblem(await rawPost('/api/v1/auth/login', big), 413, 'ERP_BODY_TOO_LARGE');
      const t = await createTenant(k);
      const role = JSON.stringify({ name: 'big', description: 'y'.repeat(3000), permissions: [] });
      expectProblem(
        await rawPost('/api/v1/iam/roles', role, { authorization: t.auth }),
        413,
        'ERP_BODY_TOO_LARGE',
      );
    });

    it('an unknown route answers 404 problem+json', async () => {
      const body = expectProblem(await call(k, 'GET', '/api/v1/no/such/thing'), 404, 'ERP_ROUTE_NOT_FOUND');
      expect(body.detail).toBe('GET /api/v1/no/such/thing');
      expectProblem(await call(k, 'DELETE', '/health/live'), 404, 'ERP_ROUTE_NOT_FOUND');
    });
  });

  describe('limits', () => {
    it(`the ${PER_USER_LIMIT + 1}th request of a user within a minute answers 429 with Retry-After`, async () => {
      const t = await createTenant(k);
      const other = await createUser(k, t); // the admin's first request
      const otherTokens = await loginOk(k, t.slug, other.email);
      for (let i = 1; i < PER_USER_LIMIT; i++) {
        expect((await call(k, 'GET', '/api/v1/auth/me', { auth: t.auth })).statusCode).toBe(200);
      }
      const limited = await call(k, 'GET', '/api/v1/auth/me', { auth: t.auth });
      expectProblem(limited, 429, 'ERP_RATE_LIMITED');
      const retry = Number(limited.headers['retry-after']);
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      // Per user: another user of the same tenant is not affected.
      expect((await call(k, 'GET', '/api/v1/auth/me', { auth: otherTokens.auth })).statusCode).toBe(200);
    });

    it(`sign-in attempts from one address are limited to ${LOGINS_PER_IP} a minute (429 with Retry-After)`, async () => {
      // A different account each time: only the per-source limit applies.
      const attempt = (i: number) =>
        k.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '203.0.113.9',
          payload: { tenant: 'nobody-here', email: `x${i}@y.test`, password: 'Guess-Number-42-x' },
        });
      for (let i = 0; i < LOGINS_PER_IP; i++) expect((await attempt(i)).statusCode).toBe(401);
      const limited = await attempt(LOGINS_PER_IP);
      expectProblem(limited, 429, 'ERP_AUTH_THROTTLED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('headers', () => {
    it('echoes a valid x-request-id, replaces an invalid one, and puts it in problems', async () => {
      const given = await call(k, 'GET', '/health/live', { headers: { 'x-request-id': 'trace-abc.123' } });
      expect(given.headers['x-request-id']).toBe('trace-abc.123');
      const bad = await call(k, 'GET', '/health/live', {
        headers: { 'x-request-id': 'has spaces\tand tabs' },
      });
      expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const none = await call(k, 'GET', '/nope', { headers: { 'x-request-id': 'req-404' } });
      expect(none.headers['x-request-id']).toBe('req-404');
      expect(none.json().requestId).toBe('req-404');
    });

    it('sends helmet security headers, on successes and on problems', async () => {
      for (const res of [await call(k, 'GET', '/health/live'), await call(k, 'GET', '/nope')]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('CORS: the allowed origin gets the header, any other origin does not', async () => {
      const allowed = await call(k, 'GET', '/health/live', { headers: { origin: ALLOWED_ORIGIN } });
      expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(String(allowed.headers['access-control-expose-headers'])).toContain('x-request-id');
      const other = await call(k, 'GET', '/health/live', { headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();

      const preflight = (origin: string) =>
        call(k, 'OPTIONS', '/api/v1/iam/roles', {
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
      const ok = await preflight(ALLOWED_ORIGIN);
      expect(ok.statusCode).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(String(ok.headers['access-control-allow-methods'])).toContain('POST');
      const refused = await preflight('https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('a 500 carries no stack trace or database detail; the log has them', async () => {
    const t = await createTenant(k);
    // Break the query behind a real route in this test's own database, then put it back.
    await k.superuser.query('alter table erp.api_keys rename column hint to hint_gone');
    let res: Awaited<ReturnType<typeof call>>;
    try {
      res = await call(k, 'GET', '/api/v1/iam/api-keys', { auth: t.auth });
    } finally {
      await k.superuser.query('alter table erp.api_keys rename column hint_gone to hint');
    }
    const body = expectProblem(res, 500, 'ERP_INTERNAL');
    expect(Object.keys(body).sort()).toEqual([
      'code',
      'detail',
      'instance',
      'requestId',
      'status',
      'title',
      'type',
    ]);
    expect(res.body).not.toMatch(/hint|column|erp\.api_keys|\bat .*\.ts:\d+|stack/i);
    const logged = logLines
      .map((l) => JSON.parse(l))
      .find((l) => l.reqId === body.requestId && l.level === 50);
    expect(logged?.err?.stack).toMatch(/hint/);
  });

  it('/openapi.json is OpenAPI 3.1 and lists every mounted /api route', async () => {
    const res = await call(k, 'GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const mounted = k.app.registeredRoutes.filter(
      (r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && !(r.schema as { hide?: boolean }).hide,
    );
    expect(mounted.length).toBeGreaterThan(20);
    const missing = mounted
      .map((r) => ({ path: r.url.replace(/:([A-Za-z]+)/g, '{$1}'), method: r.method.toLowerCase() }))
      .filter(({ path, method }) => !doc.paths?.[path]?.[method])
      .map(({ path, method }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    expect(doc.paths['/api/v1/iam/roles/{id}'].get.security).toEqual([{ bearerAuth: [] }]);
    const ui = await call(k, 'GET', '/docs/static/swagger-initializer.js');
    expect(ui.statusCode).toBe(200);
  });

  it('/health/live and /health/ready answer 200', async () => {
    expect((await call(k, 'GET', '/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await call(k, 'GET', '/health/ready');
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
  });

  it('logs never contain passwords, tokens or API keys', async () => {
    const t = await createTenant(k);
    const wrongPassword = `Wrong-${randomBytes(6).toString('hex')}`;
    await login(k, t.slug, t.adminEmail, wrongPassword);
    const tokens = await loginOk(k, t.slug, t.adminEmail, ADMIN_PASSWORD);
    const refreshed = (
      await call(k, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })
    ).json();
    await call(k, 'GET', '/api/v1/auth/me', { auth: tokens.auth });
    const key = (
      await call(k, 'POST', '/api/v1/iam/api-keys', {
        auth: `Bearer ${refreshed.accessToken}`,
        body: { name: 'log-test', permissions: ['iam.users.read'] },
      })
    ).json().token as string;
    await call(k, 'GET', '/api/v1/iam/users', { auth: `Bearer ${key}` });
    await call(k, 'POST', '/api/v1/auth/login', {
      body: { tenant: t.slug, email: t.adminEmail, password: wrongPassword, extra: 1 },
    });
    // A handler or plugin logging a body must not leak either: the redaction paths apply.
    k.app.log.info({ body: { password: wrongPassword, refreshToken: tokens.refreshToken } }, 'body seen');
    k.app.log.info({ password: wrongPassword, token: key }, 'top-level fields seen');
    k.app.log.info({ req: { body: { password: wrongPassword, otp: '123456' } } }, 'nested fields seen');

    const text = logLines.join('');
    expect(text).toContain('incoming request');
    expect(text).toContain('[redacted]');
    const secrets = {
      adminPassword: ADMIN_PASSWORD,
      wrongPassword,
      accessToken: tokens.accessToken.split('.')[2]!,
      refreshToken: tokens.refreshToken.split('.')[1]!,
      rotatedRefreshToken: refreshed.refreshToken.split('.')[1]!,
      rotatedAccessToken: refreshed.accessToken.split('.')[2]!,
      apiKey: key.split('.')[1]!,
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(text.includes(secret), `${what} appears in the logs`).toBe(false);
    }
  });
});
