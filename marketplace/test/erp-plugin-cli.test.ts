// The partner's CLI against a real registry: `erp-plugin keygen`, `key list|revoke` and `publish`
// (from @erp/sdk, run as its bin), with the ordinary npm login, and every refusal naming its cause:
// not logged in, no key, version exists, a key registered to someone else, a revoked key, the
// registry unreachable. Nothing is published by a refused attempt.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPlugin } from '@erp/sdk/scaffold';
import { runServer } from 'verdaccio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NpmUser, newNpmUser, npm, npmAddUser } from './support/npm.js';
import { freshRegistry } from './support/registry.js';

const SDK_DIR = dirname(createRequire(import.meta.url).resolve('@erp/sdk/package.json'));
const BIN = join(SDK_DIR, 'bin', 'erp-plugin.mjs');

let registry: Awaited<ReturnType<typeof freshRegistry>>;
let alice: NpmUser;
let bob: NpmUser;
let plugin: string;

function erpPlugin(user: NpmUser, args: string[], cwd = plugin) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      // HOME decides ~/.npmrc (the npm login's token) and ~/.config/erp (the key); no terminal.
      { cwd, env: { PATH: process.env.PATH, HOME: user.home, XDG_CONFIG_HOME: join(user.home, '.config') } },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        resolve({ code: err ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}

async function setVersion(version: string): Promise<void> {
  const file = join(plugin, 'package.json');
  const pkg = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, JSON.stringify({ ...pkg, version }, null, 2));
}

interface VersionDist {
  dist: { publisherSignature: { keyid: string }; signatures: Array<{ keyid: string }> };
}

async function packument(): Promise<{ status: number; versions: Record<string, VersionDist> }> {
  const res = await fetch(`${registry.url}@acme%2fshelf`);
  return {
    status: res.status,
    versions: res.ok ? ((await res.json()) as { versions: Record<string, VersionDist> }).versions : {},
  };
}

beforeAll(async () => {
  registry = await freshRegistry();
  alice = await newNpmUser();
  bob = await newNpmUser();
  plugin = join(await mkdtemp(join(tmpdir(), 'erp-cli-plugin-')), 'shelf');
  createPlugin(plugin, {
    id: 'shelf',
    packageName: '@acme/shelf',
    displayName: 'Shelf',
    version: '1.0.0',
    kernelRange: '^0.1.0',
    sdkRange: '^0.1.0',
    trust: 'third-party',
  });
  await writeFile(join(plugin, '.npmrc'), `@acme:registry=${registry.url}\n`);
  // The SDK the plugin imports, without installing the rest of its devDependencies; no type-check.
  await mkdir(join(plugin, 'node_modules', '@erp'), { recursive: true });
  await symlink(SDK_DIR, join(plugin, 'node_modules', '@erp', 'sdk'));
  await rm(join(plugin, 'tsconfig.json'));
  // Nor vite: the browser module is a stand-in, so `build` has no UI stage here.
  await rm(join(plugin, 'ui', 'vite.config.ts'));
  await mkdir(join(plugin, 'ui', 'dist'), { recursive: true });
  await writeFile(join(plugin, 'ui', 'dist', 'shelf-items.js'), 'export {};\n');
});

afterAll(async () => {
  await registry?.dispose();
  await rm(dirname(plugin), { recursive: true, force: true });
});

describe('erp-plugin publish against the registry', () => {
  it('refuses without an npm login, naming the registry and the command to run', async () => {
    const r = await erpPlugin(alice, ['publish']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`erp-plugin: not logged in to ${registry.url}`);
    expect(r.stderr).toContain(`npm login --auth-type=legacy --registry ${registry.url}`);
    expect((await packument()).status).toBe(404);
  });

  it('refuses without a publisher key, naming keygen', async () => {
    expect((await npmAddUser(alice, registry.url, 'alice', 'alice-password-1', alice.home)).stdout).toContain(
      'Logged in',
    );
    const r = await erpPlugin(alice, ['publish']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no publisher key at .*publisher-key\.pem: run "erp-plugin keygen" first/);
    expect((await packument()).status).toBe(404);
  });

  it('keygen writes the private key 0600 and prints only the key id and the public key', async () => {
    const r = await erpPlugin(alice, ['keygen']);
    expect(r.code, r.stderr).toBe(0);
    const file = join(alice.home, '.config', 'erp', 'publisher-key.pem');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const pem = await readFile(file, 'utf8');
    expect(r.stdout).not.toContain(pem.split('\n')[1]);
    expect(r.stdout).toMatch(/keyid: +SHA256:/);
    const again = await erpPlugin(alice, ['keygen']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a key');
    expect(await readFile(file, 'utf8')).toBe(pem);
  });

  it('publishes signed with progress per stage, registering the key on first use', async () => {
    const r = await erpPlugin(alice, ['publish']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const keyid = /publisher key (SHA256:\S+)/.exec(r.stdout)![1]!;
    for (const stage of ['manifest', 'version is new', 'publisher key', 'pack', 'sign', 'publish to']) {
      expect(r.stdout).toMatch(new RegExp(`• ${stage}.* ok`));
    }
    expect(r.stdout).toContain(`registered now for alice`);
    const { versions } = await packument();
    expect(versions['1.0.0']!.dist.publisherSignature.keyid).toBe(keyid);
    expect(versions['1.0.0']!.dist.signatures[0]?.keyid).toBe(registry.keyid);
    expect((await registry.publisherKeys.get(keyid))?.owner).toBe('alice');
  });

  it('refuses a version that is already there before packing', async () => {
    const r = await erpPlugin(alice, ['publish']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `@acme/shelf@1.0.0 is already in ${registry.url}: raise "version" in package.json`,
    );
    expect(r.stdout).not.toContain('• pack');
  });

  it("refuses someone else's key, naming its owner", async () => {
    expect((await npmAddUser(bob, registry.url, 'bob', 'bob-password-1', bob.home)).stdout).toContain(
      'Logged in',
    );
    await mkdir(join(bob.home, '.config', 'erp'), { recursive: true, mode: 0o700 });
    await copyFile(
      join(alice.home, '.config', 'erp', 'publisher-key.pem'),
      join(bob.home, '.config', 'erp', 'publisher-key.pem'),
    );
    await setVersion('1.0.1');
    const r = await erpPlugin(bob, ['publish']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/key SHA256:\S+ is registered to alice, not to bob/);
    expect((await packument()).versions['1.0.1']).toBeUndefined();
  });

  it('refuses a revoked key, and key list shows why', async () => {
    const revoke = await erpPlugin(alice, ['key', 'revoke', '--reason', 'laptop lost']);
    expect(revoke.code, revoke.stderr).toBe(0);
    const list = await erpPlugin(alice, ['key', 'list']);
    expect(list.stdout).toMatch(/owner alice +revoked .* \(laptop lost\)/);
    const r = await erpPlugin(alice, ['publish']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/key SHA256:\S+ was revoked on .* \(laptop lost\): make a new one/);
    expect((await packument()).versions['1.0.1']).toBeUndefined();
  });

  it('names an unreachable registry', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const r = await erpPlugin(alice, ['publish', '--registry', `http://127.0.0.1:${port}/`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`erp-plugin: registry unreachable: http://127.0.0.1:${port}/ (ECONNREFUSED)`);
  });

  it('a new key after a revoked one publishes again', async () => {
    expect((await erpPlugin(alice, ['keygen', '--force'])).code).toBe(0);
    const r = await erpPlugin(alice, ['publish']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const view = await npm(
      alice,
      ['view', '@acme/shelf@1.0.1', 'dist.publisherSignature.keyid', `--registry=${registry.url}`],
      plugin,
    );
    expect(view.stdout.trim()).toMatch(/^SHA256:/);
  });

  it('refuses a scope that belongs to another publisher, naming the owner, and stores nothing', async () => {
    expect((await erpPlugin(bob, ['keygen', '--force'])).code).toBe(0);
    await setVersion('1.0.2');
    const r = await erpPlugin(bob, ['publish']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${registry.url} refused @acme/shelf@1.0.2 (403)`);
    expect(r.stderr).toContain('belongs to another publisher (alice)');
    expect((await packument()).versions['1.0.2']).toBeUndefined();
  });

  it('names a registry that is not the marketplace (no publisher-key register), publishing nothing', async () => {
    // Plain verdaccio, without the marketplace's plugin: a real registry of another kind.
    const storage = await mkdtemp(join(tmpdir(), 'erp-plain-verdaccio-'));
    const server = (await runServer({
      self_path: join(storage, 'config.yaml'),
      storage: join(storage, 'packages'),
      auth: { htpasswd: { file: join(storage, 'htpasswd'), max_users: 10 } },
      uplinks: {},
      packages: { '**': { access: '$all', publish: '$authenticated' } },
      publish: { allow_offline: true },
      web: { enable: false },
      log: { type: 'stdout', format: 'json', level: 'fatal' },
    } as never)) as unknown as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const plain = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const carol = await newNpmUser();
      expect((await npmAddUser(carol, plain, 'carol', 'carol-password-1', carol.home)).stdout).toContain(
        'Logged in',
      );
      expect((await erpPlugin(carol, ['keygen'])).code).toBe(0);
      const r = await erpPlugin(carol, ['publish', '--registry', plain]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${plain} has no publisher-key register`);
      expect((await fetch(`${plain}@acme%2fshelf`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(storage, { recursive: true, force: true });
    }
  });
});
