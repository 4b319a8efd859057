// The marketplace in the kernel, against a real verdaccio (startRegistry from @erp/marketplace)
// and real PostgreSQL: the catalogue, the tenant's trust policy, install and upgrade from the
// registry with consent (a new capability needs consent; a preview answered for another release is
// refused), pins and rollback, a plugin installed from the registry answering its route while the
// kernel runs, a second kernel instance on the same database fetching the same bytes by integrity,
// and every refusal the issue names — each audited, nothing installed.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generatePublisherKey,
  packFolder,
  publishRelease,
  RegistryPublisherKeys,
  type RunningRegistry,
  startRegistry,
} from '@erp/marketplace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, userWith } from './support/api.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder } from './support/plugins.js';

let registry: RunningRegistry;
let registryStopped = false;
let storage: string;
let k1: TestKernel;
let k2: TestKernel | undefined;
let tenant: TestTenant;
let folder: { root: string; cleanup(): void };
const tokens: Record<string, string> = {};
const keys: Record<string, ReturnType<typeof generatePublisherKey>> = {};

async function addUser(name: string): Promise<string> {
  const res = await fetch(`${registry.url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `${name}-password-1` }),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 201 || !body.token) throw new Error(`adduser ${name}: ${res.status}`);
  return body.token;
}

interface PluginSpec {
  name: string;
  id: string;
  version: string;
  kernelRange?: string;
  permissions?: Record<string, string>;
  capabilities?: string[];
  dependencies?: Record<string, string>;
  trust?: 'first-party' | 'third-party';
  /** Changes the tarball's bytes without changing the manifest. */
  note?: string;
}

/** Packs a small JavaScript plugin with the npm CLI and publishes it, signed unless `signer` is null. */
async function publishPlugin(owner: string, spec: PluginSpec, signer: string | null = owner): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'erp-mk-plugin-'));
  const permissions = spec.permissions ?? { [`${spec.id}.items.read`]: 'View items' };
  const readPermission = Object.keys(permissions)[0]!;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: spec.name,
      version: spec.version,
      license: 'Apache-2.0',
      type: 'module',
      engines: { erp: spec.kernelRange ?? '^0.1.0' },
      // As scaffolded; the kernel provides the SDK (this registry does not even have it).
      dependencies: { '@erp/sdk': '^0.1.0' },
      erp: {
        id: spec.id,
        displayName: `Plugin ${spec.id}`,
        description: `The ${spec.id} test plugin`,
        trust: spec.trust ?? 'third-party',
        entry: 'index.js',
        permissions,
        capabilities: spec.capabilities ?? [],
        ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
      },
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin, route } from '@erp/sdk';
export default definePlugin({
  routes: {
    'GET /version': route({ permission: '${readPermission}', async handler() { return { version: '${spec.version}' }; } }),
  },
});
`,
  );
  writeFileSync(
    join(dir, 'README.md'),
    `# ${spec.name}\n\nKeeps ${spec.id} for a tenant.\n${spec.note ?? ''}`,
  );
  const packed = await packFolder(dir);
  await publishRelease({
    registry: registry.url,
    token: tokens[owner]!,
    packed,
    ...(signer ? { privateKey: keys[signer]!.privateKey } : {}),
  });
  await rm(dir, { recursive: true, force: true });
}

/** npm deprecate, as the npm CLI does it: the packument with the version's `deprecated` set, PUT back. */
async function deprecate(owner: string, name: string, version: string, message: string): Promise<void> {
  const url = `${registry.url}${name.replace('/', '%2f')}`;
  const auth = { authorization: `Bearer ${tokens[owner]}` };
  const doc = (await (await fetch(`${url}?write=true`, { headers: auth })).json()) as {
    versions: Record<string, { deprecated?: string }>;
    _attachments?: unknown;
  };
  doc.versions[version]!.deprecated = message;
  delete doc._attachments;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

/** npm unpublish --force of a whole package: the CouchDB-style DELETE the npm CLI sends. */
async function unpublishAll(owner: string, name: string): Promise<void> {
  const url = `${registry.url}${name.replace('/', '%2f')}`;
  const auth = { authorization: `Bearer ${tokens[owner]}` };
  const doc = (await (await fetch(`${url}?write=true`, { headers: auth })).json()) as { _rev: string };
  const res = await fetch(`${url}/-rev/${doc._rev}`, { method: 'DELETE', headers: auth });
  expect(res.status, await res.text()).toBeLessThan(300);
}

/** A file of the registry's storage (verdaccio keeps packages as plain files). */
function storedFile(dir: string, name: string): string {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const found = storedFile(path, name);
      if (found) return found;
    } else if (entry === name && path.includes('/packages/')) return path;
  }
  return '';
}

const preview = (k: TestKernel, body: Record<string, unknown>) =>
  call(k, 'POST', '/api/v1/marketplace/install-preview', { auth: tenant.auth, body });
const installs = (k: TestKernel, body: Record<string, unknown>) =>
  call(k, 'POST', '/api/v1/marketplace/installs', { auth: tenant.auth, body });

async function auditEntries(action: string): Promise<Array<{ change: Record<string, unknown> }>> {
  // The sealer chains entries shortly after commit: read pending and sealed alike.
  const { rows } = await k1.superuser.query(
    `select change from erp.audit_pending where tenant_id = $1 and action = $2
     union all select change from erp.audit_entries where tenant_id = $1 and action = $2`,
    [tenant.tenantId, action],
  );
  return rows as Array<{ change: Record<string, unknown> }>;
}

async function installedRows(): Promise<Array<Record<string, unknown>>> {
  const { rows } = await k1.superuser.query(
    'select plugin_id, version, runtime, integrity, keyid, consent_hash, pinned from erp.plugin_installations where tenant_id = $1 order by plugin_id',
    [tenant.tenantId],
  );
  return rows;
}

/** Refused, audited with its code, and nothing installed or changed. */
async function expectRefused(res: Awaited<ReturnType<typeof installs>>, status: number, code: string) {
  const before = await installedRows();
  expectProblem(res, status, code);
  const refused = await auditEntries('marketplace.install.refused');
  expect(refused.map((e) => e.change.code)).toContain(code);
  expect(await installedRows()).toEqual(before);
}

beforeAll(async () => {
  storage = await mkdtemp(join(tmpdir(), 'erp-mk-registry-'));
  registry = await startRegistry({ storage, logLevel: 'fatal' });
  for (const user of ['acme', 'rogue', 'late', 'ghost']) {
    tokens[user] = await addUser(user);
    keys[user] = generatePublisherKey();
    await new RegistryPublisherKeys(registry.url, tokens[user]).register(keys[user]!.publicKey);
  }
  const caps = ['events:publish:item.*'];
  await publishPlugin('acme', { name: '@acme/shelf', id: 'shelf', version: '1.0.0', capabilities: caps });
  // 1.1.0 asks for a new capability and defines a new permission.
  await publishPlugin('acme', {
    name: '@acme/shelf',
    id: 'shelf',
    version: '1.1.0',
    capabilities: [...caps, 'http:api.example.com'],
    permissions: { 'shelf.items.read': 'View items', 'shelf.items.write': 'Change items' },
  });
  await publishPlugin('acme', { name: '@acme/shelf', id: 'shelf', version: '1.2.0', capabilities: caps });
  await deprecate('acme', '@acme/shelf', '1.2.0', 'yanked: broken build');
  // Claims first-party in its own manifest: the claim must not matter.
  await publishPlugin(
    'acme',
    { name: '@acme/loose', id: 'loose', version: '1.0.0', trust: 'first-party' },
    null,
  );
  await publishPlugin('acme', {
    name: '@acme/future',
    id: 'future',
    version: '1.0.0',
    kernelRange: '^9.0.0',
  });
  await publishPlugin('acme', {
    name: '@acme/needs',
    id: 'needs',
    version: '1.0.0',
    dependencies: { '@acme/shelf': '^2.0.0' },
  });
  await publishPlugin('acme', { name: '@acme/tampered', id: 'tampered', version: '1.0.0' });
  await publishPlugin('rogue', { name: '@rogue/tool', id: 'tool', version: '1.0.0' });
  await publishPlugin('late', { name: '@late/tool', id: 'latetool', version: '1.0.0' });
  await publishPlugin('ghost', { name: '@ghost/tool', id: 'ghosttool', version: '1.0.0' });
  await new RegistryPublisherKeys(registry.url, tokens.rogue).revoke(keys.rogue!.keyid, 'leaked');
  await new RegistryPublisherKeys(registry.url, tokens.late).expire(keys.late!.keyid);
  // The tarball changed on the registry's disk after publishing (integrity no longer matches).
  const tgz = storedFile(storage, 'tampered-1.0.0.tgz');
  expect(tgz).not.toBe('');
  const bytes = readFileSync(tgz);
  bytes[bytes.length - 20] = (bytes[bytes.length - 20]! + 1) % 256;
  writeFileSync(tgz, bytes);
  // A signature whose key the register does not know.
  const ghost = join(storage, 'packages', '@ghost', 'tool', 'package.json');
  expect(existsSync(ghost)).toBe(true);
  const doc = JSON.parse(readFileSync(ghost, 'utf8'));
  doc.versions['1.0.0'].dist.publisherSignature.keyid = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  writeFileSync(ghost, JSON.stringify(doc));

  await publishPlugin('acme', { name: '@acme/twin', id: 'twin', version: '1.0.0' });
  // Plugin stores under kernel/test/.generated, where `@erp/sdk` resolves as for a real package.
  folder = pluginFolder();
  // The same name and version on the operator's plugin path, with other code: a registry install
  // must run the registry's bytes, never this copy.
  const twin = join(folder.root, 'path', 'twin');
  mkdirSync(twin, { recursive: true });
  writeFileSync(
    join(twin, 'package.json'),
    JSON.stringify({
      name: '@acme/twin',
      version: '1.0.0',
      type: 'module',
      engines: { erp: '^0.1.0' },
      erp: {
        id: 'twin',
        displayName: 'Twin',
        trust: 'first-party',
        entry: 'index.js',
        permissions: { 'twin.items.read': 'View' },
      },
    }),
  );
  writeFileSync(
    join(twin, 'index.js'),
    `import { definePlugin, route } from '@erp/sdk';
export default definePlugin({ routes: { 'GET /version': route({ permission: 'twin.items.read', async handler() { return { version: 'path copy' }; } }) } });
`,
  );
  mkdirSync(join(folder.root, 'k1'));
  k1 = await startTestKernel({
    REGISTRY_URL: registry.url,
    ERP_DATA_DIR: join(folder.root, 'k1'),
    ERP_PLUGIN_PATH: join(folder.root, 'path'),
  });
  tenant = await createTenant(k1);
}, 240_000);

afterAll(async () => {
  await k2?.close();
  await k1?.close();
  if (!registryStopped) await registry?.stop();
  await rm(storage, { recursive: true, force: true });
  folder?.cleanup();
});

describe('trust policy', () => {
  it('trusts only the first-party publisher by default; a change is validated and audited', async () => {
    const initial = await call(k1, 'GET', '/api/v1/tenant/plugin-trust-policy', { auth: tenant.auth });
    expect(initial.json()).toEqual({
      trustedPublishers: ['erp'],
      allowUnsigned: false,
      allowUnknownPublishers: false,
    });
    // Not trusted yet: acme's signed plugin is refused before anything else.
    expectProblem(await preview(k1, { package: '@acme/shelf' }), 403, 'ERP_MARKETPLACE_PUBLISHER_UNTRUSTED');
    const bad = await call(k1, 'PUT', '/api/v1/tenant/plugin-trust-policy', {
      auth: tenant.auth,
      body: { trustedPublishers: ['bad name!'], allowUnsigned: 'yes' },
    });
    expectProblem(bad, 400, 'ERP_VALIDATION');
    const put = await call(k1, 'PUT', '/api/v1/tenant/plugin-trust-policy', {
      auth: tenant.auth,
      body: { trustedPublishers: ['erp', 'acme'], allowUnsigned: false, allowUnknownPublishers: false },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().trustedPublishers).toEqual(['acme', 'erp']);
    const changed = await auditEntries('kernel.plugin-trust-policy.changed');
    expect(changed.at(-1)!.change).toMatchObject({
      from: { trustedPublishers: ['erp'] },
      to: { trustedPublishers: ['acme', 'erp'] },
    });
  });
});

describe('catalogue', () => {
  it('searches plugins and shows each version: compatibility, signatures, deprecated and yanked, README', async () => {
    const search = await call(k1, 'GET', '/api/v1/marketplace/plugins?q=shelf', { auth: tenant.auth });
    expect(search.statusCode, search.body).toBe(200);
    const hit = search.json().plugins.find((p: { package: string }) => p.package === '@acme/shelf');
    expect(hit).toMatchObject({
      id: 'shelf',
      latest: '1.1.0',
      compatible: true,
      publisher: { owner: 'acme', status: 'verified' },
    });

    // Without a query: every plugin.
    const all = await call(k1, 'GET', '/api/v1/marketplace/plugins', { auth: tenant.auth });
    expect(all.json().plugins.map((p: { package: string }) => p.package)).toEqual(
      expect.arrayContaining(['@acme/shelf', '@acme/future', '@rogue/tool']),
    );

    const details = await call(
      k1,
      'GET',
      `/api/v1/marketplace/plugins/${encodeURIComponent('@acme/shelf')}`,
      {
        auth: tenant.auth,
      },
    );
    expect(details.statusCode, details.body).toBe(200);
    const body = details.json();
    expect(body.versions.map((v: { version: string }) => v.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    const [v120, v110] = body.versions;
    expect(v120).toMatchObject({ yanked: true, deprecated: 'yanked: broken build' });
    expect(v110).toMatchObject({
      compatible: true,
      yanked: false,
      deprecated: null,
      capabilities: ['events:publish:item.*', 'http:api.example.com'],
      permissions: { 'shelf.items.read': 'View items', 'shelf.items.write': 'Change items' },
      publisher: { owner: 'acme', keyid: keys.acme!.keyid, status: 'verified' },
      registrySignature: 'verified',
    });
    expect(body.readme).toContain('Keeps shelf for a tenant.');

    const flags = async (name: string) =>
      (
        await call(k1, 'GET', `/api/v1/marketplace/plugins/${encodeURIComponent(name)}`, {
          auth: tenant.auth,
        })
      ).json().versions[0];
    expect((await flags('@rogue/tool')).publisher.status).toBe('revoked');
    expect((await flags('@late/tool')).publisher.status).toBe('expired');
    expect((await flags('@ghost/tool')).publisher.status).toBe('unknown-key');
    expect((await flags('@acme/loose')).publisher.status).toBe('unsigned');
    expect(await flags('@acme/future')).toMatchObject({ compatible: false, kernelRange: '^9.0.0' });
    expectProblem(
      await call(k1, 'GET', '/api/v1/marketplace/plugins/%40acme%2Fnothing', { auth: tenant.auth }),
      404,
      'ERP_MARKETPLACE_PACKAGE_UNKNOWN',
    );
  });
});

describe('install from the registry', () => {
  let firstHash: string;

  it('previews the newest installable version (never a yanked one) with consent and its hash', async () => {
    const res = await preview(k1, { package: '@acme/shelf', range: '^1.0.0' });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({
      action: 'install',
      version: '1.1.0',
      runtime: 'in-process',
      publisher: { owner: 'acme' },
    });
    expectProblem(
      await preview(k1, { package: '@acme/shelf', range: '1.2.0' }),
      409,
      'ERP_MARKETPLACE_VERSION_YANKED',
    );
    const first = await preview(k1, { package: '@acme/shelf', range: '~1.0.0' });
    expect(first.json()).toMatchObject({
      version: '1.0.0',
      consent: {
        permissions: ['shelf.items.read'],
        capabilities: ['events:publish:item.*'],
        newCapabilities: ['events:publish:item.*'],
      },
    });
    firstHash = first.json().consentHash;
    expect(firstHash).toMatch(/^sha256-/);
  });

  it('refuses an install whose consent answers another version, then installs; the route answers without a restart', async () => {
    await expectRefused(
      await installs(k1, { package: '@acme/shelf', version: '1.1.0', consentHash: firstHash }),
      409,
      'ERP_MARKETPLACE_CONSENT_MISMATCH',
    );
    const res = await installs(k1, { package: '@acme/shelf', version: '1.0.0', consentHash: firstHash });
    expect(res.statusCode, res.body).toBe(201);
    const installation = res.json();
    expect(installation).toMatchObject({
      pluginId: 'shelf',
      version: '1.0.0',
      source: 'registry',
      runtime: 'in-process',
      keyid: keys.acme!.keyid,
      consentHash: firstHash,
    });
    expect(installation.integrity).toMatch(/^sha512-/);
    const route = await call(k1, 'GET', '/api/v1/p/shelf/version', { auth: tenant.auth });
    expect(route.statusCode, route.body).toBe(200);
    expect(route.json()).toEqual({ version: '1.0.0' });
    const [entry] = await auditEntries('plugin.install');
    expect(entry!.change).toMatchObject({
      to: '1.0.0',
      integrity: installation.integrity,
      keyid: keys.acme!.keyid,
      consent: firstHash,
      runtime: 'in-process',
    });
  });

  it('an upgrade asking for a new capability needs consent for exactly what is new', async () => {
    const res = await preview(k1, { package: '@acme/shelf' });
    const p = res.json();
    expect(p).toMatchObject({
      action: 'upgrade',
      version: '1.1.0',
      currentVersion: '1.0.0',
      consent: { newCapabilities: ['http:api.example.com'], newPermissions: ['shelf.items.write'] },
    });
    // The consent given for 1.0.0 does not cover the new capability.
    await expectRefused(
      await installs(k1, { package: '@acme/shelf', version: '1.1.0', consentHash: firstHash }),
      409,
      'ERP_MARKETPLACE_CONSENT_MISMATCH',
    );
    expect((await call(k1, 'GET', '/api/v1/p/shelf/version', { auth: tenant.auth })).json()).toEqual({
      version: '1.0.0',
    });
    const up = await installs(k1, { package: '@acme/shelf', version: '1.1.0', consentHash: p.consentHash });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({
      version: '1.1.0',
      previousVersion: '1.0.0',
      consentHash: p.consentHash,
    });
    expect((await call(k1, 'GET', '/api/v1/p/shelf/version', { auth: tenant.auth })).json()).toEqual({
      version: '1.1.0',
    });
  });

  it('a second kernel instance on the same database serves the installed version, fetched by integrity', async () => {
    mkdirSync(join(folder.root, 'k2'));
    expect(readdirSync(join(folder.root, 'k2'))).toEqual([]);
    k2 = await startTestKernel({
      DATABASE_URL: k1.databaseUrl,
      REGISTRY_URL: registry.url,
      ERP_DATA_DIR: join(folder.root, 'k2'),
      ERP_PLUGIN_PATH: join(folder.root, 'path'),
    });
    // k2's data folder was empty: its store has the release only because it fetched it, by the
    // integrity recorded at install (on start, binding the tenants' installations, or on first use).
    const [row] = await installedRows();
    const hex = Buffer.from(String(row!.integrity).slice('sha512-'.length), 'base64')
      .toString('hex')
      .slice(0, 40);
    const route = await call(k2, 'GET', '/api/v1/p/shelf/version', { auth: tenant.auth });
    expect(route.statusCode, route.body).toBe(200);
    expect(route.json()).toEqual({ version: '1.1.0' });
    expect(existsSync(join(folder.root, 'k2', 'plugin-store', hex, 'package.json'))).toBe(true);
  });

  it('pins: a pinned installation is not upgraded; rollback returns the previous release and its consent', async () => {
    const pin = await call(k1, 'POST', '/api/v1/marketplace/installations/shelf/pin', {
      auth: tenant.auth,
      body: {},
    });
    expect(pin.statusCode, pin.body).toBe(200);
    expect(pin.json().pinned).toBe(true);
    expect((await auditEntries('plugin.pinned'))[0]!.change).toMatchObject({
      version: '1.1.0',
      keyid: keys.acme!.keyid,
    });
    const rollback = await call(k1, 'POST', '/api/v1/plugins/installations/shelf/rollback', {
      auth: tenant.auth,
      body: {},
    });
    expect(rollback.statusCode, rollback.body).toBe(200);
    expect(rollback.json()).toMatchObject({ version: '1.0.0', consentHash: firstHash, source: 'registry' });
    expect((await auditEntries('plugin.rollback'))[0]!.change).toMatchObject({
      to: '1.0.0',
      consent: firstHash,
    });
    // The running second instance is told (kernel.plugin.changed) and fetches 1.0.0, which it never
    // had, by the integrity recorded at install.
    let onK2 = '';
    for (let i = 0; i < 100 && onK2 !== '1.0.0'; i++) {
      const r = await call(k2!, 'GET', '/api/v1/p/shelf/version', { auth: tenant.auth });
      onK2 = r.statusCode === 200 ? r.json().version : r.body;
      if (onK2 !== '1.0.0') await new Promise((done) => setTimeout(done, 100));
    }
    expect(onK2).toBe('1.0.0');
    expectProblem(await preview(k1, { package: '@acme/shelf' }), 409, 'ERP_PLUGIN_PINNED');
    // Nor through the plugin host's own upgrade route.
    const direct = await call(k1, 'POST', '/api/v1/plugins/installations/shelf/upgrade', {
      auth: tenant.auth,
      body: { version: '1.1.0' },
    });
    expectProblem(direct, 409, 'ERP_PLUGIN_PINNED');
    const unpin = await call(k1, 'POST', '/api/v1/marketplace/installations/shelf/unpin', {
      auth: tenant.auth,
      body: {},
    });
    expect(unpin.json().pinned).toBe(false);
    // Unpinned, the registry version still moves only with consent.
    expectProblem(
      await call(k1, 'POST', '/api/v1/plugins/installations/shelf/upgrade', {
        auth: tenant.auth,
        body: { version: '1.1.0' },
      }),
      409,
      'ERP_PLUGIN_CONSENT_REQUIRED',
    );
  });
});

describe('a copy of the same version on the operator\u2019s plugin path', () => {
  it('is not what a registry install runs', async () => {
    const p = await preview(k1, { package: '@acme/twin' });
    expect(p.statusCode, p.body).toBe(200);
    const res = await installs(k1, {
      package: '@acme/twin',
      version: '1.0.0',
      consentHash: p.json().consentHash,
    });
    expect(res.statusCode, res.body).toBe(201);
    const route = await call(k1, 'GET', '/api/v1/p/twin/version', { auth: tenant.auth });
    expect(route.json()).toEqual({ version: '1.0.0' });
  });
});

describe('the release changed between preview and install', () => {
  it('the same version republished with other bytes: the consent no longer matches', async () => {
    await publishPlugin('acme', { name: '@acme/flip', id: 'flip', version: '1.0.0' });
    const p = await preview(k1, { package: '@acme/flip' });
    expect(p.statusCode, p.body).toBe(200);
    await unpublishAll('acme', '@acme/flip');
    await publishPlugin('acme', { name: '@acme/flip', id: 'flip', version: '1.0.0', note: 'other bytes' });
    const again = await preview(k1, { package: '@acme/flip' });
    expect(again.json().version).toBe('1.0.0');
    expect(again.json().integrity).not.toBe(p.json().integrity);
    await expectRefused(
      await installs(k1, { package: '@acme/flip', version: '1.0.0', consentHash: p.json().consentHash }),
      409,
      'ERP_MARKETPLACE_CONSENT_MISMATCH',
    );
  });
});

describe('permissions', () => {
  it('reading the catalogue is not installing: a reader is refused the install routes and the policy change', async () => {
    const reader = (await userWith(k1, tenant, ['kernel.plugins.read'])).auth;
    const list = await call(k1, 'GET', '/api/v1/marketplace/plugins?q=shelf', { auth: reader });
    expect(list.statusCode, list.body).toBe(200);
    expectProblem(
      await call(k1, 'POST', '/api/v1/marketplace/install-preview', {
        auth: reader,
        body: { package: '@acme/shelf' },
      }),
      403,
      'ERP_FORBIDDEN',
    );
    expectProblem(
      await call(k1, 'POST', '/api/v1/marketplace/installs', {
        auth: reader,
        body: { package: '@acme/shelf', version: '1.1.0', consentHash: `sha256-${'A'.repeat(43)}=` },
      }),
      403,
      'ERP_FORBIDDEN',
    );
    expectProblem(
      await call(k1, 'PUT', '/api/v1/tenant/plugin-trust-policy', {
        auth: reader,
        body: { trustedPublishers: ['rogue'], allowUnsigned: true, allowUnknownPublishers: true },
      }),
      403,
      'ERP_FORBIDDEN',
    );
  });
});

describe('refusals: audited, nothing installed', () => {
  /** Preview is refused the same way; the install request is audited. */
  async function refusedInstall(pkg: string, version: string, status: number, code: string) {
    expectProblem(await preview(k1, { package: pkg, range: version }), status, code);
    await expectRefused(
      await installs(k1, { package: pkg, version, consentHash: `sha256-${'A'.repeat(43)}=` }),
      status,
      code,
    );
  }

  it('a tampered tarball', async () => {
    const p = await preview(k1, { package: '@acme/tampered' });
    expect(p.statusCode, p.body).toBe(200);
    await expectRefused(
      await installs(k1, { package: '@acme/tampered', version: '1.0.0', consentHash: p.json().consentHash }),
      422,
      'ERP_MARKETPLACE_INTEGRITY_MISMATCH',
    );
  });

  it('a revoked, an expired and an unknown key', async () => {
    await call(k1, 'PUT', '/api/v1/tenant/plugin-trust-policy', {
      auth: tenant.auth,
      body: {
        trustedPublishers: ['erp', 'acme', 'rogue', 'late', 'ghost'],
        allowUnsigned: false,
        allowUnknownPublishers: false,
      },
    });
    await refusedInstall('@rogue/tool', '1.0.0', 403, 'ERP_MARKETPLACE_KEY_REVOKED');
    await refusedInstall('@late/tool', '1.0.0', 403, 'ERP_MARKETPLACE_KEY_EXPIRED');
    await refusedInstall('@ghost/tool', '1.0.0', 403, 'ERP_MARKETPLACE_KEY_UNKNOWN');
    const refused = await auditEntries('marketplace.install.refused');
    expect(refused.find((e) => e.change.code === 'ERP_MARKETPLACE_KEY_REVOKED')!.change).toMatchObject({
      package: '@rogue/tool',
      version: '1.0.0',
      keyid: keys.rogue!.keyid,
    });
  });

  it('an incompatible kernel range and a dependency conflict naming both sides', async () => {
    await refusedInstall('@acme/future', '1.0.0', 409, 'ERP_MARKETPLACE_KERNEL_INCOMPATIBLE');
    const conflict = await preview(k1, { package: '@acme/needs' });
    const body = expectProblem(conflict, 409, 'ERP_MARKETPLACE_DEPENDENCY_CONFLICT');
    expect(body.detail).toContain('@acme/needs@1.0.0 needs @acme/shelf ^2.0.0');
    expect(body.detail).toContain('this tenant runs @acme/shelf@1.0.0');
    await refusedInstall('@acme/needs', '1.0.0', 409, 'ERP_MARKETPLACE_DEPENDENCY_CONFLICT');
  });

  it('unsigned: refused unless the policy allows it, and then only into the sandbox, whatever the manifest claims', async () => {
    await refusedInstall('@acme/loose', '1.0.0', 403, 'ERP_MARKETPLACE_UNSIGNED');
    await call(k1, 'PUT', '/api/v1/tenant/plugin-trust-policy', {
      auth: tenant.auth,
      body: { trustedPublishers: ['erp', 'acme'], allowUnsigned: true, allowUnknownPublishers: false },
    });
    const p = await preview(k1, { package: '@acme/loose' });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ runtime: 'sandbox', publisher: { status: 'unsigned' } });
    // This kernel has no sandbox runner yet: refused, nothing installed.
    await expectRefused(
      await installs(k1, { package: '@acme/loose', version: '1.0.0', consentHash: p.json().consentHash }),
      422,
      'ERP_PLUGIN_SANDBOX_REQUIRED',
    );
  });

  it('the registry unreachable', async () => {
    const p = await preview(k1, { package: '@acme/shelf' });
    await registry.stop();
    registryStopped = true;
    expectProblem(await preview(k1, { package: '@acme/shelf' }), 503, 'ERP_MARKETPLACE_REGISTRY_UNREACHABLE');
    await expectRefused(
      await installs(k1, { package: '@acme/shelf', version: '1.1.0', consentHash: p.json().consentHash }),
      503,
      'ERP_MARKETPLACE_REGISTRY_UNREACHABLE',
    );
  });
});
