// Third-party plugin UIs (issue 19), the kernel's half: the shell mints a scoped token per plugin
// frame with the user's session; the token lives at most 60 s, opens only that plugin's routes,
// carries the intersection of the plugin's permissions and the user's, and is refused at once when
// the plugin is disabled, uninstalled or upgraded, or the user signs out or is disabled. The frame's
// document is served with a CSP that allows no connection, no inline script and no eval, and the
// assets it loads answer its opaque origin's CORS request. Two tenants; every refusal by its code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, loginOk, userWith } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'vault', version: '1.0.0', trust: 'third-party' });
writePluginVersion(folder.root, { id: 'vault', version: '1.1.0', trust: 'third-party' });
writePluginVersion(folder.root, { id: 'ledger', version: '1.0.0', trust: 'first-party' });
// A third-party plugin whose UI was granted two kernel routes (a people picker, the signed-in user).
writePluginVersion(folder.root, {
  id: 'people',
  version: '1.0.0',
  trust: 'third-party',
  pkg: (p) => {
    (p.erp as { capabilities: string[] }).capabilities.push(
      'kernel-api:GET:/api/v1/auth/me',
      'kernel-api:GET:/api/v1/iam/users',
    );
  },
});

const FRAME_HTML = `<!doctype html>
<html lang="en">
  <head><title>Plugin</title><script type="module" crossorigin src="/assets/frame-abc.js"></script></head>
  <body><main></main></body>
</html>`;

let k: TestKernel;
let a: TestTenant;
let b: TestTenant;
let shellDir: string;

const mint = async (auth: string, plugin = 'vault', extra: object = {}) =>
  call(k, 'POST', '/api/v1/ui/plugin-tokens', { auth, body: { plugin, ...extra } });
const minted = async (auth: string, plugin = 'vault', extra: object = {}) => {
  const res = await mint(auth, plugin, extra);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    token: string;
    expiresIn: number;
    permissions: string[];
    kernelRoutes: string[];
    version: string;
  };
};
const bearer = (t: string) => `Bearer ${t}`;

beforeAll(async () => {
  shellDir = mkdtempSync(join(tmpdir(), 'erp-shell-frame-'));
  mkdirSync(join(shellDir, 'assets'));
  writeFileSync(join(shellDir, 'index.html'), '<!doctype html><html lang="en"><title>ERP</title></html>');
  writeFileSync(join(shellDir, 'frame.html'), FRAME_HTML);
  writeFileSync(
    join(shellDir, 'assets', 'frame-abc.js'),
    `export {};\n${'/* frame runtime */\n'.repeat(80)}`,
  );
  k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ERP_SHELL_DIR: shellDir, LOG_LEVEL: 'error' });
  [a, b] = await Promise.all([createTenant(k), createTenant(k)]);
  for (const plugin of ['@test/vault', '@test/ledger', '@test/people']) {
    const res = await call(k, 'POST', '/api/v1/plugins/installations', {
      auth: a.auth,
      body: { plugin, version: '1.0.0' },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await k?.close();
  folder.cleanup();
  rmSync(shellDir, { recursive: true, force: true });
});

describe('plugin UI tokens', () => {
  it('marks third-party plugins isolated in the UI manifest', async () => {
    const ui = (await call(k, 'GET', '/api/v1/ui/manifest', { auth: a.auth })).json();
    const by = Object.fromEntries(
      ui.plugins.map((p: { plugin: string; isolated: boolean }) => [p.plugin, p.isolated]),
    );
    expect(by).toEqual({ vault: true, ledger: false, people: true });
  });

  it('mints a ≤ 60 s token that opens the plugin’s own routes and nothing else', async () => {
    const t = await minted(a.auth);
    expect(t.token.startsWith('erpui_')).toBe(true);
    expect(t.expiresIn).toBe(60);
    expect(t.permissions.sort()).toEqual(['vault.items.read', 'vault.items.write']);
    const own = await call(k, 'POST', '/api/v1/p/vault/items', {
      auth: bearer(t.token),
      body: { name: 'x' },
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(
      (await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) })).json().items,
    ).toHaveLength(1);
    for (const [method, url] of [
      ['GET', '/api/v1/p/ledger/items'], // another plugin
      ['GET', '/api/v1/iam/users'], // kernel admin routes
      ['POST', '/api/v1/iam/api-keys'],
      ['GET', '/api/v1/plugins'],
      ['DELETE', '/api/v1/plugins/installations/vault'],
      ['GET', '/api/v1/auth/me'],
      ['GET', '/api/v1/ui/manifest'],
      ['GET', '/api/v1/ui/events'],
      ['POST', '/api/v1/ui/plugin-tokens'], // a token cannot mint tokens
      ['GET', '/api/v1/audit/entries'],
    ] as const) {
      expectProblem(
        await call(k, method, url, { auth: bearer(t.token), body: method === 'GET' ? undefined : {} }),
        403,
        'ERP_PLUGIN_TOKEN_SCOPE',
      );
    }
    // Each probe is in the tenant's audit log, named after the plugin (coalesced per route).
    const { rows } = await k.superuser.query<{ resource_id: string; change: Record<string, unknown> }>(
      `select resource_id, change::jsonb as change from (
         select tenant_id, action, resource_id, change from erp.audit_pending
         union all select tenant_id, action, resource_id, change from erp.audit_entries) e
        where tenant_id = $1 and action = 'kernel.access.plugin-scope-refused'`,
      [a.tenantId],
    );
    expect(rows.map((r) => r.resource_id)).toContain('GET /api/v1/iam/users');
    expect(rows.map((r) => r.resource_id)).toContain('POST /api/v1/ui/plugin-tokens');
    expect(rows[0]!.change).toEqual({ code: 'ERP_PLUGIN_TOKEN_SCOPE', plugin: 'vault@1.0.0' });
  });

  it('opens the kernel routes its manifest was granted, each with its permission only if the user holds it', async () => {
    const admin = await minted(a.auth, 'people');
    expect(admin.kernelRoutes).toEqual(['GET:/api/v1/auth/me', 'GET:/api/v1/iam/users']);
    expect(admin.permissions).toContain('iam.users.read');
    const me = await call(k, 'GET', '/api/v1/auth/me', { auth: bearer(admin.token) });
    expect(me.statusCode, me.body).toBe(200);
    // What the frame learns of the user's permissions is what its token carries, not the session's.
    expect(me.json().permissions.sort()).toEqual([...admin.permissions].sort());
    const users = await call(k, 'GET', '/api/v1/iam/users', { auth: bearer(admin.token) });
    expect(users.statusCode, users.body).toBe(200);
    // Granted routes are exactly the method and template asked for: not the user's detail, nor writes.
    for (const [method, url] of [
      ['GET', `/api/v1/iam/users/${a.adminId}`],
      ['POST', '/api/v1/iam/users'],
      ['GET', '/api/v1/iam/api-keys'],
      ['GET', '/api/v1/p/vault/items'],
    ] as const) {
      expectProblem(
        await call(k, method, url, { auth: bearer(admin.token), body: method === 'GET' ? undefined : {} }),
        403,
        'ERP_PLUGIN_TOKEN_SCOPE',
      );
    }
    // A user without iam.users.read gets the route but not the permission: the authorizer refuses.
    const plain = await userWith(k, a, ['vault.items.read']);
    const t = await minted(plain.auth, 'people');
    expect(t.permissions).not.toContain('iam.users.read');
    expect((await call(k, 'GET', '/api/v1/auth/me', { auth: bearer(t.token) })).statusCode).toBe(200);
    expectProblem(await call(k, 'GET', '/api/v1/iam/users', { auth: bearer(t.token) }), 403, 'ERP_FORBIDDEN');
    // vault asked for no kernel route: its token reaches none.
    expect((await minted(a.auth)).kernelRoutes).toEqual([]);
  });

  it('carries the intersection of the plugin’s and the user’s permissions, checked live', async () => {
    const reader = await userWith(k, a, ['vault.items.read', 'iam.users.read']);
    const t = await minted(reader.auth);
    expect(t.permissions).toEqual(['vault.items.read']);
    expect((await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) })).statusCode).toBe(200);
    expectProblem(
      await call(k, 'POST', '/api/v1/p/vault/items', { auth: bearer(t.token), body: { name: 'no' } }),
      403,
      'ERP_FORBIDDEN',
    );
    // The user's own iam.users.read is not the plugin's to use.
    expectProblem(
      await call(k, 'GET', '/api/v1/iam/users', { auth: bearer(t.token) }),
      403,
      'ERP_PLUGIN_TOKEN_SCOPE',
    );
    // Taking the role away applies to the token already minted.
    const res = await call(k, 'DELETE', `/api/v1/iam/users/${reader.id}/roles/${reader.roleId}`, {
      auth: a.auth,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) }),
      403,
      'ERP_FORBIDDEN',
    );
  });

  it('is minted only with a session, for an enabled plugin of the caller’s tenant, for at most 60 s', async () => {
    expectProblem(await mint(a.auth, 'vault', { ttlSeconds: 61 }), 400, 'ERP_VALIDATION');
    expectProblem(await mint(b.auth), 404, 'ERP_PLUGIN_NOT_INSTALLED'); // tenant B has no vault
    expectProblem(await mint(a.auth, 'nothing'), 404, 'ERP_PLUGIN_NOT_INSTALLED');
    const key = await call(k, 'POST', '/api/v1/iam/api-keys', {
      auth: a.auth,
      body: { name: 'ui', permissions: ['vault.items.read'] },
    });
    expect(key.statusCode, key.body).toBe(201);
    expectProblem(await mint(`Bearer ${key.json().token}`), 403, 'ERP_PLUGIN_TOKEN_SESSION_ONLY');
    // A token of tenant A names tenant A: B's admin session does not change what it reaches.
    const t = await minted(a.auth);
    const list = await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) });
    expect(list.statusCode).toBe(200);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: b.auth }),
      404,
      'ERP_PLUGIN_NOT_INSTALLED',
    );
  });

  it('expires, and refuses a tampered token', async () => {
    const t = await minted(a.auth, 'vault', { ttlSeconds: 1 });
    expect(t.expiresIn).toBe(1);
    expect((await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) }),
      401,
      'ERP_TOKEN_EXPIRED',
    );
    const fresh = await minted(a.auth);
    const [h, p, s] = fresh.token.slice('erpui_'.length).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, pid: 'ledger', exp: claims.exp + 3600 })).toString(
      'base64url',
    );
    expectProblem(
      await call(k, 'GET', '/api/v1/p/ledger/items', { auth: bearer(`erpui_${h}.${forged}.${s}`) }),
      401,
      'ERP_TOKEN_INVALID',
    );
  });

  it('is refused at once when the plugin is disabled, upgraded or uninstalled', async () => {
    const t = await minted(a.auth);
    const inst = (path: string, method: 'POST' | 'DELETE' = 'POST', body: object = {}) =>
      call(k, method, `/api/v1/plugins/installations/vault${path}`, { auth: a.auth, body });
    expect((await inst('/disable')).statusCode).toBe(200);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) }),
      401,
      'ERP_PLUGIN_TOKEN_REVOKED',
    );
    expectProblem(await mint(a.auth), 404, 'ERP_PLUGIN_NOT_INSTALLED');
    expect((await inst('/enable')).statusCode).toBe(200);
    const t2 = await minted(a.auth);
    expect((await inst('/upgrade', 'POST', { version: '1.1.0' })).statusCode).toBe(200);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t2.token) }),
      401,
      'ERP_PLUGIN_TOKEN_REVOKED',
    );
    const t3 = await minted(a.auth);
    expect(t3.version).toBe('1.1.0');
    expect((await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t3.token) })).statusCode).toBe(200);
    const gone = await inst('', 'DELETE');
    expect(gone.statusCode, gone.body).toBe(200);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t3.token) }),
      401,
      'ERP_PLUGIN_TOKEN_REVOKED',
    );
    const back = await call(k, 'POST', '/api/v1/plugins/installations', {
      auth: a.auth,
      body: { plugin: '@test/vault' },
    });
    expect(back.statusCode, back.body).toBe(201);
  });

  it('is refused at once when the user signs out or is disabled', async () => {
    const user = await userWith(k, a, ['vault.items.read']);
    const t = await minted(user.auth);
    expect(
      (await call(k, 'POST', '/api/v1/auth/logout', { auth: user.auth, body: {} })).statusCode,
    ).toBeLessThan(300);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t.token) }),
      401,
      'ERP_TOKEN_REVOKED',
    );
    const again = await loginOk(k, a.slug, user.email);
    const t2 = await minted(again.auth);
    expect((await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t2.token) })).statusCode).toBe(200);
    const off = await call(k, 'PATCH', `/api/v1/iam/users/${user.id}`, {
      auth: a.auth,
      body: { status: 'disabled' },
    });
    expect(off.statusCode, off.body).toBe(200);
    expectProblem(
      await call(k, 'GET', '/api/v1/p/vault/items', { auth: bearer(t2.token) }),
      401,
      'ERP_TOKEN_REVOKED',
    );
  });
});

describe('the plugin frame document', () => {
  it('is served with a CSP that allows no connection, no inline script, no eval, and sandboxes itself', async () => {
    const res = await call(k, 'GET', '/ui-frame/vault/1.0.0/vault-items', {
      headers: { host: 'erp.test:8080' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain(
      'script-src http://erp.test:8080/assets/ http://erp.test:8080/plugins/vault/1.0.0/;',
    );
    expect(csp).toContain('sandbox allow-scripts allow-forms');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(res.body).toContain('data-module="/plugins/vault/1.0.0/vault-items.js"');
    expect(res.body).toContain('data-element="vault-items"');
    expectProblem(await call(k, 'GET', '/ui-frame/vault/1.0.0/other-thing'), 404, 'ERP_NOT_FOUND');
    expectProblem(await call(k, 'GET', '/ui-frame/vault/9.9.9/vault-items'), 404, 'ERP_NOT_FOUND');
    expectProblem(await call(k, 'GET', '/ui-frame/vault/1.0.0/x%22%3E%3Cscript%3E'), 400, 'ERP_VALIDATION');
  });

  it('lets the opaque-origin frame load its scripts (CORS without credentials)', async () => {
    for (const url of ['/plugins/vault/1.0.0/vault-items.js', '/assets/frame-abc.js']) {
      const res = await call(k, 'GET', url, { headers: { origin: 'null' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
      expect(res.headers['access-control-allow-credentials'], url).toBeUndefined();
    }
    // The API does not answer an opaque origin's CORS: frames reach it only through the shell.
    const api = await call(k, 'GET', '/api/v1/p/vault/items', { auth: a.auth, headers: { origin: 'null' } });
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
  });
});
