// The audit log through the kernel: every kernel mutation leaves an entry in the same unit of work
// (secrets never recorded), the admin API lists, filters and verifies, checkpoints and proofs hold
// up to an outside check, bad input gets problem+json, and the tables refuse to be rewritten.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '../src/audit/index.js';
import { verifiedSigners } from '../src/audit/note.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

let k: TestKernel;
let t: TestTenant;

async function call(method: string, url: string, auth?: string, payload?: unknown) {
  const res = await k.app.inject({
    method: method as 'GET',
    url,
    headers: { ...(auth ? { authorization: auth } : {}), 'x-request-id': `req-${method}-${url.length}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : null, type: res.headers['content-type'] };
}

const seal = () => k.container.cradle.auditSealer.flush();

async function entries(tenantId = t.tenantId): Promise<AuditEntry[]> {
  await seal();
  const items: AuditEntry[] = [];
  let before: number | null = null;
  const auth = tenantId === t.tenantId ? t.auth : undefined;
  do {
    const r = await call(
      'GET',
      `/api/v1/audit/entries?limit=500${before ? `&beforeSeq=${before}` : ''}`,
      auth,
    );
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    before = r.body.nextBeforeSeq;
  } while (before);
  return items.reverse();
}

const actions = (list: AuditEntry[]) => list.map((e) => e.action);

beforeAll(async () => {
  k = await startTestKernel({
    ERP_AUDIT_CHECKPOINT_ENTRIES: '1000000',
    ERP_AUDIT_CHECKPOINT_SECONDS: '86400',
  });
  t = await createTenant(k);
});
afterAll(async () => k?.close());

describe('audit entries for kernel mutations', () => {
  it('records tenant creation and a login, chained from seq 1', async () => {
    const list = await entries();
    expect(actions(list).slice(0, 2)).toEqual(['kernel.tenant.created', 'auth.login.succeeded']);
    expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => i + 1));
    expect(list[0]).toMatchObject({
      actor: { type: 'system', id: 'kernel.bootstrap' },
      resource: { type: 'tenant', id: t.tenantId },
      change: { after: { slug: t.slug, adminEmail: t.adminEmail } },
    });
    expect(list[1]).toMatchObject({ actor: { type: 'user', id: t.adminId }, clientIp: '127.0.0.1' });
    expect(list[1]!.requestId).toBeTruthy();
  });

  it('records failed logins, answered 401 (wrong password, unknown user), but has no chain for an unknown tenant', async () => {
    const before = (await entries()).length;
    const login = (tenant: string, email: string, password: string) =>
      call('POST', '/api/v1/auth/login', undefined, { tenant, email, password });
    expect((await login(t.slug, t.adminEmail, 'Wrong-password-123456')).status).toBe(401);
    expect((await login(t.slug, 'nobody@example.com', 'Wrong-password-123456')).status).toBe(401);
    expect((await login('no-such-tenant', t.adminEmail, 'Wrong-password-123456')).status).toBe(401);
    const added = (await entries()).slice(before);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({
      action: 'auth.login.failed',
      actor: { type: 'anonymous', id: null },
      resource: { type: 'user', id: t.adminId },
      change: { email: t.adminEmail, reason: 'wrong-password' },
      clientIp: '127.0.0.1',
    });
    expect(added[1]).toMatchObject({
      action: 'auth.login.failed',
      resource: { type: 'user', id: null },
      change: { email: 'nobody@example.com', reason: 'unknown-user' },
    });
  });

  it('records user, role, assignment, API key, password, MFA, logout and refresh-reuse changes, without secrets', async () => {
    const before = (await entries()).length;
    const secrets: string[] = [];
    const password = 'Another-Horse-43-battery';
    secrets.push(password);
    const role = await call('POST', '/api/v1/iam/roles', t.auth, {
      name: 'Clerks',
      permissions: ['iam.users.read'],
    });
    expect(role.status).toBe(201);
    const user = await call('POST', '/api/v1/iam/users', t.auth, { email: 'clerk@example.com', password });
    expect(user.status).toBe(201);
    expect(
      (await call('PATCH', `/api/v1/iam/users/${user.body.id}`, t.auth, { displayName: 'Clerk' })).status,
    ).toBe(200);
    expect(
      (await call('PUT', `/api/v1/iam/users/${user.body.id}/roles/${role.body.id}`, t.auth)).status,
    ).toBe(204);
    expect(
      (await call('DELETE', `/api/v1/iam/users/${user.body.id}/roles/${role.body.id}`, t.auth)).status,
    ).toBe(204);
    expect(
      (await call('PATCH', `/api/v1/iam/roles/${role.body.id}`, t.auth, { permissions: ['iam.roles.read'] }))
        .status,
    ).toBe(200);
    expect((await call('DELETE', `/api/v1/iam/roles/${role.body.id}`, t.auth)).status).toBe(204);
    const key = await call('POST', '/api/v1/iam/api-keys', t.auth, {
      name: 'ci',
      permissions: ['iam.users.read'],
    });
    expect(key.status).toBe(201);
    const rotated = await call('POST', `/api/v1/iam/api-keys/${key.body.id}/rotate`, t.auth);
    secrets.push(key.body.token, rotated.body.token);
    expect((await call('DELETE', `/api/v1/iam/api-keys/${key.body.id}`, t.auth)).status).toBe(204);
    expect((await call('POST', `/api/v1/iam/users/${user.body.id}/unlock`, t.auth)).status).toBe(200);
    expect((await call('POST', `/api/v1/iam/users/${user.body.id}/sessions/revoke`, t.auth)).status).toBe(
      204,
    );

    // The clerk's own session for the self-service changes (a password change ends the others).
    const me = await createSession('clerk@example.com', password);
    const enrol = await call('POST', '/api/v1/auth/mfa/enroll', me.auth, { password });
    expect(enrol.status).toBe(200);
    secrets.push(enrol.body.secret);
    const now = Math.floor(Date.now() / 1000);
    const code = await generate({ secret: enrol.body.secret, epoch: now });
    expect((await call('POST', '/api/v1/auth/mfa/confirm', me.auth, { otp: code })).status).toBe(200);
    const code2 = await generate({ secret: enrol.body.secret, epoch: now + 30 });
    const off = await call('POST', '/api/v1/auth/mfa/disable', me.auth, { password, otp: code2 });
    expect(off.status).toBe(204);
    const newPassword = 'Changed-Horse-44-battery';
    secrets.push(newPassword);
    expect(
      (await call('POST', '/api/v1/auth/password', me.auth, { currentPassword: password, newPassword }))
        .status,
    ).toBe(204);
    const refreshed = await call('POST', '/api/v1/auth/refresh', undefined, {
      refreshToken: me.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    secrets.push(me.refreshToken, refreshed.body.refreshToken, refreshed.body.accessToken);
    const reuse = await call('POST', '/api/v1/auth/refresh', undefined, { refreshToken: me.refreshToken });
    expect(reuse.body.code).toBe('ERP_REFRESH_REUSED');
    const again = await createSession('clerk@example.com', newPassword);
    expect((await call('POST', '/api/v1/auth/logout', again.auth)).status).toBe(204);

    const added = (await entries()).slice(before);
    expect(actions(added)).toEqual([
      'iam.role.created',
      'iam.user.created',
      'iam.user.updated',
      'iam.role.assigned',
      'iam.role.unassigned',
      'iam.role.updated',
      'iam.role.deleted',
      'iam.apikey.created',
      'iam.apikey.rotated',
      'iam.apikey.revoked',
      'iam.user.unlocked',
      'iam.user.sessions-revoked',
      'auth.login.succeeded',
      'auth.mfa.enrolment-started',
      'auth.mfa.enabled',
      'auth.mfa.disabled',
      'auth.password.changed',
      'auth.session.revoked',
      'auth.login.succeeded',
      'auth.logout',
    ]);
    const byAction = (a: string) => added.find((e) => e.action === a)!;
    expect(byAction('iam.user.updated').change).toEqual({
      before: { displayName: '', status: 'active' },
      after: { displayName: 'Clerk', status: 'active' },
    });
    expect(byAction('iam.role.updated').change).toMatchObject({
      before: { permissions: ['iam.users.read'] },
      after: { permissions: ['iam.roles.read'] },
    });
    expect(byAction('iam.apikey.created')).toMatchObject({ resource: { type: 'apiKey', id: key.body.id } });
    expect(byAction('auth.session.revoked').change).toMatchObject({ reason: 'refresh-token-reuse' });
    expect(byAction('iam.user.created').requestId).toBe(`req-POST-${'/api/v1/iam/users'.length}`);
    const text = JSON.stringify(added);
    for (const secret of secrets) expect(text).not.toContain(secret);
    const columns = await k.superuser.query('select row_to_json(e)::text as j from erp.audit_entries e');
    for (const secret of secrets) expect(columns.rows.map((r) => r.j).join('\n')).not.toContain(secret);
  });
});

async function createSession(email: string, password: string) {
  const r = await call('POST', '/api/v1/auth/login', undefined, { tenant: t.slug, email, password });
  expect(r.status).toBe(200);
  return { auth: `Bearer ${r.body.accessToken}`, refreshToken: r.body.refreshToken as string };
}

describe('audit admin API', () => {
  it('lists newest first with filters and keyset paging', async () => {
    const all = await entries();
    const r = await call('GET', '/api/v1/audit/entries?limit=3', t.auth);
    expect(r.body.items.map((e: AuditEntry) => e.seq)).toEqual([all.length, all.length - 1, all.length - 2]);
    const next = await call('GET', `/api/v1/audit/entries?limit=3&beforeSeq=${r.body.nextBeforeSeq}`, t.auth);
    expect(next.body.items[0].seq).toBe(all.length - 3);
    const iam = await call('GET', '/api/v1/audit/entries?action=iam.role.*&limit=500', t.auth);
    expect(iam.body.items.length).toBe(all.filter((e) => e.action.startsWith('iam.role.')).length);
    const exact = await call('GET', '/api/v1/audit/entries?action=auth.logout', t.auth);
    expect(exact.body.items).toHaveLength(1);
    const byActor = await call(
      'GET',
      `/api/v1/audit/entries?actor=${t.adminId}&actorType=user&limit=500`,
      t.auth,
    );
    expect(byActor.body.items.length).toBe(
      all.filter((e) => e.actor.id === t.adminId && e.actor.type === 'user').length,
    );
    const byResource = await call(
      'GET',
      `/api/v1/audit/entries?resourceType=tenant&resourceId=${t.tenantId}`,
      t.auth,
    );
    expect(byResource.body.items.map((e: AuditEntry) => e.seq)).toEqual([1]);
    const at = all[1]!.occurredAt;
    const window = await call(
      'GET',
      `/api/v1/audit/entries?from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`,
      t.auth,
    );
    expect(window.body.items).toEqual([]);
    const future = await call('GET', '/api/v1/audit/entries?from=2999-01-01T00:00:00Z', t.auth);
    expect(future.body).toEqual({ items: [], nextBeforeSeq: null });
    const one = await call('GET', '/api/v1/audit/entries/1', t.auth);
    expect(one.body).toMatchObject({ seq: 1, action: 'kernel.tenant.created' });
  });

  it('answers bad input with problem+json naming the field', async () => {
    const cases: Array<[string, string, string]> = [
      [
        '/api/v1/audit/entries?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
        'ERP_AUDIT_RANGE',
        '/querystring/to',
      ],
      ['/api/v1/audit/entries?from=yesterday', 'ERP_VALIDATION', '/querystring/from'],
      ['/api/v1/audit/entries?action=DROP%20TABLE', 'ERP_VALIDATION', '/querystring/action'],
      ['/api/v1/audit/entries?limit=0', 'ERP_VALIDATION', '/querystring/limit'],
      ['/api/v1/audit/entries?beforeSeq=-1', 'ERP_VALIDATION', '/querystring/beforeSeq'],
      ['/api/v1/audit/entries/0', 'ERP_VALIDATION', '/params/seq'],
      ['/api/v1/audit/proofs/inclusion?seq=100000', 'ERP_AUDIT_RANGE', '/querystring/seq'],
      ['/api/v1/audit/proofs/inclusion?seq=1&treeSize=100000', 'ERP_AUDIT_RANGE', '/querystring/treeSize'],
      ['/api/v1/audit/proofs/inclusion?seq=3&treeSize=2', 'ERP_AUDIT_RANGE', '/querystring/seq'],
      ['/api/v1/audit/proofs/inclusion', 'ERP_VALIDATION', '/querystring/seq'],
      ['/api/v1/audit/proofs/consistency?from=3&to=2', 'ERP_AUDIT_RANGE', '/querystring/from'],
      ['/api/v1/audit/proofs/consistency?from=0&to=2', 'ERP_VALIDATION', '/querystring/from'],
      ['/api/v1/audit/proofs/consistency?from=1&to=100000', 'ERP_AUDIT_RANGE', '/querystring/to'],
    ];
    await seal();
    for (const [url, code, field] of cases) {
      const r = await call('GET', url, t.auth);
      expect(r.status, url).toBe(400);
      expect(r.type, url).toContain('application/problem+json');
      expect(r.body.code, url).toBe(code);
      expect(
        r.body.errors.map((e: { field: string }) => e.field),
        url,
      ).toContain(field);
    }
    expect((await call('GET', '/api/v1/audit/entries/99999', t.auth)).status).toBe(404);
    const bad = await call('POST', '/api/v1/audit/checkpoints/verify', t.auth, {
      checkpoint: 'not a checkpoint',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'ERP_AUDIT_CHECKPOINT_MALFORMED',
      errors: [{ field: '/body/checkpoint' }],
    });
  });

  it('is guarded by the audit permissions', async () => {
    const r = await call('POST', '/api/v1/iam/users', t.auth, {
      email: 'viewer@example.com',
      password: 'Seeing-Horse-45-battery',
    });
    expect(r.status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', undefined, {
      tenant: t.slug,
      email: 'viewer@example.com',
      password: 'Seeing-Horse-45-battery',
    });
    const auth = `Bearer ${login.body.accessToken}`;
    for (const url of ['/api/v1/audit/entries', '/api/v1/audit/status', '/api/v1/audit/checkpoints'])
      expect((await call('GET', url, auth)).body.code, url).toBe('ERP_FORBIDDEN');
    expect((await call('GET', '/api/v1/audit/entries')).status).toBe(401);
    expect((await call('GET', '/api/v1/audit/keys')).status).toBe(200);
  });

  it('verifies, signs checkpoints an outsider can check, copies them outside, and proves inclusion and consistency', async () => {
    const { auditSealer } = k.container.cradle;
    await seal();
    const first = await auditSealer.checkpointNow(t.tenantId);
    await call('PATCH', `/api/v1/iam/users/${t.adminId}`, t.auth, { displayName: 'Boss' });
    await seal();
    const second = await auditSealer.checkpointNow(t.tenantId);
    expect(second).toBe(first! + 1);

    const status = await call('GET', '/api/v1/audit/status', t.auth);
    expect(status.body).toMatchObject({ valid: true, entries: second, firstBadSeq: null, pending: 0 });
    expect(status.body.external).toMatchObject({ latestSize: second, matches: true });

    const keys = (await call('GET', '/api/v1/audit/keys')).body.items;
    const vkey = parseVerifierKey(keys[0].vkey);
    expect(keys[0]).toMatchObject({ current: true });
    const cps = (await call('GET', '/api/v1/audit/checkpoints', t.auth)).body.items;
    expect(cps.map((c: { size: number }) => c.size)).toEqual([second, first]);
    const cp = parseCheckpoint(cps[0].note);
    expect(verifiedSigners(parseNote(cps[0].note), [vkey])).toHaveLength(1);

    // The external sink holds the same signed checkpoint.
    const dir = join(k.container.cradle.config.ERP_DATA_DIR, 'audit-checkpoints', t.tenantId);
    expect(readFileSync(join(dir, 'latest.txt'), 'utf8')).toBe(cps[0].note);
    expect(existsSync(join(dir, 'hashes', `${String(second).padStart(12, '0')}.txt`))).toBe(true);

    const verified = await call('POST', '/api/v1/audit/checkpoints/verify', t.auth, {
      checkpoint: cps[1].note,
    });
    expect(verified.body).toMatchObject({ valid: true, matchesLog: true, size: first });
    const forged = cps[1].note
      .replace(/\n(\d+)\n/, `\n${first}\n`)
      .replace(/\n\u2014 (\S+) (\S)/, '\n\u2014 $1 A');
    expect(
      (await call('POST', '/api/v1/audit/checkpoints/verify', t.auth, { checkpoint: forged })).body,
    ).toMatchObject({
      valid: false,
      signedBy: null,
    });

    for (let seq = 1; seq <= second!; seq++) {
      const p = (await call('GET', `/api/v1/audit/proofs/inclusion?seq=${seq}`, t.auth)).body;
      expect(p).toMatchObject({ seq, treeSize: second, checkpoint: cps[0].note });
      const leaf = Buffer.from(p.leafHash, 'base64');
      const path = p.auditPath.map((x: string) => Buffer.from(x, 'base64'));
      expect(verifyInclusion(leaf, seq - 1, second!, path, cp.root)).toBe(true);
      expect(verifyInclusion(leaf, seq - 1, second!, path.slice(1), cp.root)).toBe(false);
    }
    const c = (await call('GET', `/api/v1/audit/proofs/consistency?from=${first}&to=${second}`, t.auth)).body;
    const old = parseCheckpoint(cps[1].note);
    const proof = c.proof.map((x: string) => Buffer.from(x, 'base64'));
    expect(c).toMatchObject({ fromCheckpoint: cps[1].note, toCheckpoint: cps[0].note });
    expect(verifyConsistency(first!, second!, proof, old.root, cp.root)).toBe(true);
  });
});

describe('audit tables are append-only', () => {
  it('the app role may not update or delete entries, and triggers refuse even the owner', async () => {
    await seal();
    const appUrl = k.container.cradle.db.appUrl;
    const pg = (await import('pg')).default;
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    try {
      await app.query("begin; select set_config('erp.tenant_id', $1, true)", [t.tenantId]).catch(async () => {
        await app.query('begin');
        await app.query("select set_config('erp.tenant_id', $1, true)", [t.tenantId]);
      });
      for (const sql of [
        "update erp.audit_entries set action = 'x.y' where seq = 1",
        'delete from erp.audit_entries where seq = 1',
        'truncate erp.audit_entries',
        'delete from erp.audit_checkpoints',
      ]) {
        await app.query('savepoint s');
        await expect(app.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        await app.query('rollback to savepoint s');
      }
      await app.query('rollback');
    } finally {
      await app.end();
    }
    for (const sql of [
      "update erp.audit_entries set action = 'x.y'",
      'delete from erp.audit_entries',
      'truncate erp.audit_entries',
      'update erp.audit_checkpoints set note = note',
      'truncate erp.audit_checkpoints cascade',
    ])
      await expect(k.superuser.query(sql), sql).rejects.toThrow(/append-only/);
  });
});
