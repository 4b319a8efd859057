// Small request helpers shared by the kernel suites: calls through fastify's inject, users and
// roles created through the admin API (never behind its back), and problem+json assertions.
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestKernel, TestTenant } from './harness.js';

export const USER_PASSWORD = 'Staple-Horse-77-correct';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export function call(
  k: TestKernel,
  method: Method,
  url: string,
  opts: { auth?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.auth) headers.authorization = opts.auth;
  return k.app.inject({
    method,
    url,
    headers,
    ...(opts.body === undefined ? {} : { payload: opts.body as object }),
  });
}

/** Asserts an RFC 9457 answer with the given status and stable code; returns its body. */
export function expectProblem(
  res: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code, type: `urn:erp:problem:${code}` });
  expect(typeof body.title).toBe('string');
  return body;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  auth: string;
}

export async function login(
  k: TestKernel,
  tenant: string,
  email: string,
  password = USER_PASSWORD,
  otp?: string,
): Promise<LightMyRequestResponse> {
  return call(k, 'POST', '/api/v1/auth/login', {
    body: { tenant, email, password, ...(otp ? { otp } : {}) },
  });
}

export async function loginOk(
  k: TestKernel,
  tenant: string,
  email: string,
  password = USER_PASSWORD,
): Promise<TokenPair> {
  const res = await login(k, tenant, email, password);
  expect(res.statusCode, res.body).toBe(200);
  const t = res.json();
  return { accessToken: t.accessToken, refreshToken: t.refreshToken, auth: `Bearer ${t.accessToken}` };
}

export async function createRole(k: TestKernel, t: TestTenant, permissions: string[]): Promise<string> {
  const res = await call(k, 'POST', '/api/v1/iam/roles', {
    auth: t.auth,
    body: { name: `role-${randomBytes(4).toString('hex')}`, permissions },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** A user of the tenant created by its admin, with the given roles; not signed in. */
export async function createUser(
  k: TestKernel,
  t: TestTenant,
  roleIds: string[] = [],
): Promise<{ id: string; email: string }> {
  const email = `u-${randomBytes(4).toString('hex')}@${t.slug}.test`;
  const res = await call(k, 'POST', '/api/v1/iam/users', {
    auth: t.auth,
    body: { email, password: USER_PASSWORD, roleIds },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, email };
}

/** A signed-in user holding exactly these permissions (through one new role). */
export async function userWith(
  k: TestKernel,
  t: TestTenant,
  permissions: string[],
): Promise<{ id: string; email: string; roleId: string | null } & TokenPair> {
  const roleId = permissions.length ? await createRole(k, t, permissions) : null;
  const user = await createUser(k, t, roleId ? [roleId] : []);
  return { ...user, roleId, ...(await loginOk(k, t.slug, user.email)) };
}
