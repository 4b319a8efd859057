// The partner's path, end to end, against a kernel that runs the whole time (`erp start`: embedded
// PostgreSQL and the embedded marketplace registry, seeded with the SDK). In an empty folder
// outside the repository, with only the registry's address, the partner types five commands:
//   npm install @erp/sdk --@erp:registry=<registry>
//   npx erp-plugin create shelf-life --package @acme/shelf-life --registry <registry> --install
//   npm test                                   (in shelf-life: the scaffold's tests, real kernel)
//   npx erp-plugin keygen
//   npx erp-plugin publish                     (npm login at its prompt, key registered, signed)
// Then npm itself sees the release (npm view, npm audit signatures), and a tenant administrator
// installs it through the kernel's API with consent, and its route answers.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ErpProcess, REPO_DIR, startErp } from './support/erp-process.js';
import { PartnerShell, type Typed } from './support/partner-shell.js';
import { placePrebuiltIsolatedVm } from './support/prebuilt-addon.js';

const PACKAGE = '@acme/shelf-life';
const PUBLISHER = { user: 'acme', password: 'acme-publisher-password-1' };
const ADMIN = {
  tenant: 'northwind',
  email: 'admin@northwind.example',
  password: 'harbour-lantern-quartz-92',
};

// Outside the repository, so nothing resolves through the workspace's node_modules.
const work = mkdtempSync(join(tmpdir(), 'erp-partner-path-'));
// mkdtemp makes 0700; the embedded PostgreSQL runs as its own user when the tests run as root.
chmodSync(work, 0o755);
const partnerDir = join(work, 'partner');
const pluginDir = join(partnerDir, 'shelf-life');
const shell = new PartnerShell(join(work, 'home'));

let erp: ErpProcess;
let registry: string;
let kernelUrl: string;
let keyid: string;
let pathMs = 0;
let publishedIntegrity: string;

// What the kernel answers, read loosely: the assertions say which fields must be there.
// biome-ignore lint/suspicious/noExplicitAny: a JSON answer whose shape the assertions check
type ApiBody = Record<string, any>;

const show = (t: Typed) => `$ ${t.command}  (in ${t.cwd}, exit ${t.status})\n${t.output}`;
const sdkVersion = (): string =>
  JSON.parse(readFileSync(join(REPO_DIR, 'sdk', 'package.json'), 'utf8')).version;

describe('the partner path: SDK from the marketplace to a plugin installed in a tenant', () => {
  beforeAll(async () => {
    placePrebuiltIsolatedVm(shell.env.npm_config_cache!);
    erp = startErp(join(work, 'data'));
    registry = (await erp.line(/^registry: /)).slice('registry: '.length).trim();
    kernelUrl = /listening on (http:\/\/[^\s";]+)/.exec(await erp.line(/listening on http/))![1]!;
    // Seeding publishes the SDK, the kernel and the test kit first (what a partner installs), then
    // the first-party plugins; the partner starts as soon as the test kit is there, as one would.
    const seeded = await erp.line(
      /registry seed(ed|ing failed)|registry seeding: published @erp\/plugin-testkit@/,
    );
    expect(seeded, erp.output()).not.toContain('failed');
    const tenant = erp.command([
      'tenant',
      'create',
      '--slug',
      ADMIN.tenant,
      '--name',
      'Northwind',
      '--admin-email',
      ADMIN.email,
      '--admin-password',
      ADMIN.password,
    ]);
    expect(tenant.status, `${tenant.stdout}\n${tenant.stderr}`).toBe(0);
    mkdirSync(partnerDir);
  });

  afterAll(async () => {
    await erp?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('takes the partner five commands from an empty folder to a signed release in the marketplace', async () => {
    const started = Date.now();
    const install = await shell.type(
      ['npm', 'install', '@erp/sdk', `--@erp:registry=${registry}`],
      partnerDir,
    );
    expect(install.status, show(install)).toBe(0);

    const create = await shell.type(
      [
        'npx',
        'erp-plugin',
        'create',
        'shelf-life',
        '--package',
        PACKAGE,
        '--registry',
        registry,
        '--install',
      ],
      partnerDir,
    );
    expect(create.status, show(create)).toBe(0);
    expect(readFileSync(join(pluginDir, '.npmrc'), 'utf8')).toContain(`@acme:registry=${registry}`);

    const test = await shell.type(['npm', 'test'], pluginDir);
    expect(test.status, show(test)).toBe(0);

    const keygen = await shell.type(['npx', 'erp-plugin', 'keygen'], pluginDir);
    expect(keygen.status, show(keygen)).toBe(0);
    keyid = /keyid:\s+(SHA256:\S+)/.exec(keygen.output)![1]!;
    const keyFile = join(shell.home, '.config', 'erp', 'publisher-key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The private key is in the file and nowhere in what the partner saw.
    const pem = readFileSync(keyFile, 'utf8');
    expect(pem).toContain('PRIVATE KEY');
    expect(keygen.output).not.toContain(pem.split('\n')[1]!);

    const publish = await shell.type(['npx', 'erp-plugin', 'publish'], pluginDir, [
      [/Username:/, PUBLISHER.user],
      [/Password:/, PUBLISHER.password],
      [/Email/, `${PUBLISHER.user}@example.com`],
    ]);
    expect(publish.status, show(publish)).toBe(0);
    for (const stage of [
      'manifest',
      'version is new',
      `publisher key ${keyid}`,
      'pack',
      'sign',
      'publish to',
    ]) {
      expect(publish.output, show(publish)).toMatch(
        new RegExp(`• ${stage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*ok`),
      );
    }
    expect(publish.output).toContain(`published ${PACKAGE}@0.1.0`);
    pathMs = Date.now() - started;

    expect(shell.typed.length).toBeLessThanOrEqual(5);
    console.log(
      `partner path: ${shell.typed.length} commands after the registry address, ${(pathMs / 1000).toFixed(1)} s\n${shell.typed
        .map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  $ ${t.command}`)
        .join('\n')}`,
    );
  });

  it('is an ordinary npm package: npm view shows both signatures, npm audit signatures verifies it', async () => {
    const view = await shell.check(['npm', 'view', PACKAGE, '--json'], pluginDir);
    expect(view.status, view.output).toBe(0);
    const viewed = JSON.parse(view.stdout) as {
      version: string;
      dependencies: Record<string, string>;
      dist: {
        integrity: string;
        publisherSignature: { keyid: string };
        signatures: Array<{ keyid: string }>;
      };
    };
    expect(viewed.version).toBe('0.1.0');
    expect(viewed.dependencies['@erp/sdk']).toBe(`^${sdkVersion()}`);
    expect(viewed.dist.publisherSignature.keyid).toBe(keyid);
    publishedIntegrity = viewed.dist.integrity;
    expect(viewed.dist.signatures).toEqual([
      { keyid: expect.stringMatching(/^SHA256:/), sig: expect.any(String) },
    ]);

    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
    writeFileSync(join(consumer, '.npmrc'), readFileSync(join(pluginDir, '.npmrc')));
    const installed = await shell.check(['npm', 'install', `${PACKAGE}@^0.1.0`, '--no-fund'], consumer);
    expect(installed.status, installed.output).toBe(0);
    const audit = await shell.check(['npm', 'audit', 'signatures'], consumer);
    expect(audit.status, audit.output).toBe(0);
    expect(audit.output).toMatch(/packages? ha(s|ve) (a )?verified registry signatures?/);
  });

  it('is installed into a tenant through the kernel API with consent, and its route answers', async () => {
    const api = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${kernelUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as ApiBody) : {}, text };
    };
    const started = Date.now();
    const login = await api('POST', '/api/v1/auth/login', {
      tenant: ADMIN.tenant,
      email: ADMIN.email,
      password: ADMIN.password,
    });
    expect(login.status, login.text).toBe(200);
    const token = login.body.accessToken as string;

    const policy = await api(
      'PUT',
      '/api/v1/tenant/plugin-trust-policy',
      { trustedPublishers: [PUBLISHER.user], allowUnsigned: false, allowUnknownPublishers: false },
      token,
    );
    expect(policy.status, policy.text).toBe(200);

    const preview = await api('POST', '/api/v1/marketplace/install-preview', { package: PACKAGE }, token);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({
      action: 'install',
      package: PACKAGE,
      version: '0.1.0',
      publisher: { owner: PUBLISHER.user, keyid, status: 'verified' },
      runtime: 'in-process',
    });
    expect(preview.body.consent.permissions).toEqual(
      expect.arrayContaining(['shelf-life.items.read', 'shelf-life.items.write']),
    );

    const installed = await api(
      'POST',
      '/api/v1/marketplace/installs',
      { package: PACKAGE, version: '0.1.0', consentHash: preview.body.consentHash },
      token,
    );
    expect(installed.status, installed.text).toBe(201);
    // What was installed is what the partner signed and npm showed.
    expect(installed.body).toMatchObject({
      source: 'registry',
      runtime: 'in-process',
      keyid,
      integrity: publishedIntegrity,
      consentHash: preview.body.consentHash,
    });

    const created = await api('POST', '/api/v1/p/shelf-life/items', { name: 'first shelf' }, token);
    expect(created.status, created.text).toBe(201);
    const items = await api('GET', '/api/v1/p/shelf-life/items', undefined, token);
    expect(items.status, items.text).toBe(200);
    expect(items.body.items).toEqual([expect.objectContaining({ name: 'first shelf' })]);
    const total = pathMs + (Date.now() - started);
    console.log(`partner path to a route answering in a tenant: ${(total / 1000).toFixed(1)} s`);

    // The kernel ran the whole time: the process started before the partner's first command is
    // still the one serving, and it started once.
    expect(erp.child.exitCode).toBeNull();
    expect(erp.output().match(/listening on http/g)).toHaveLength(1);
  });
});
