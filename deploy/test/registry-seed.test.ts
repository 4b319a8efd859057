// The image's registry (deploy/image/registry.mjs, run as the image runs it but through tsx): it
// publishes the first-party releases the build stage packed (deploy/image/pack-first-party.mjs's
// `packFirstParty`, here on a folder holding one small plugin) when it lacks them, signed with the
// first-party key it keeps on its volume, so that what the kernel's catalogue checks (the
// publisher signature against the registry's key register) says "erp"; a restart publishes
// nothing again; SIGTERM stops it with exit code 0. A real verdaccio and pnpm pack throughout.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packFirstParty } from '@erp/kernel/marketplace';
import { fetchPlugin, RegistryPublisherKeys, verifyRelease } from '@erp/marketplace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_DIR } from './support/paths.js';

const work = mkdtempSync(join(tmpdir(), 'erp-registry-seed-'));
const root = join(work, 'repo');
const packed = join(work, 'first-party');
const dataDir = join(work, 'data');
let port = 0;
let registry: ChildProcess | undefined;
let output = '';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });

/** Starts registry.mjs and resolves with its output once it has seeded (or failed to). */
function startRegistry(): Promise<string> {
  output = '';
  registry = spawn(process.execPath, ['--import', 'tsx', join(DEPLOY_DIR, 'image', 'registry.mjs')], {
    cwd: DEPLOY_DIR,
    env: {
      ...process.env,
      ERP_DATA_DIR: dataDir,
      ERP_FIRST_PARTY_DIR: packed,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = registry;
  return new Promise((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (/registry seed(ed|ing failed)/.test(output)) resolve(output);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.on('exit', (code) => reject(new Error(`registry.mjs exited ${code}: ${output}`)));
  });
}

function stopRegistry(): Promise<number | null> {
  const child = registry!;
  registry = undefined;
  child.removeAllListeners('exit');
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  // A repository with one first-party plugin (plain JavaScript: nothing to compile).
  const plugin = join(root, 'plugins', 'shelf-labels');
  mkdirSync(plugin, { recursive: true });
  writeFileSync(
    join(plugin, 'package.json'),
    JSON.stringify({
      name: '@erp-plugin/shelf-labels',
      version: '1.2.0',
      license: 'Apache-2.0',
      type: 'module',
      engines: { erp: '^0.1.0' },
      dependencies: { '@erp/sdk': '^0.1.0' },
      erp: {
        id: 'shelf-labels',
        displayName: 'Shelf labels',
        description: 'Prints shelf labels',
        trust: 'first-party',
        entry: 'index.js',
        permissions: { 'shelf-labels.labels.read': 'View labels' },
        capabilities: [],
      },
    }),
  );
  writeFileSync(join(plugin, 'index.js'), 'export default {};\n');
  writeFileSync(join(plugin, 'README.md'), '# Shelf labels\n');
  const lines: string[] = [];
  const files = await packFirstParty(packed, { info: (m: string) => lines.push(m) }, root);
  expect(files.map((f) => f.slice(packed.length + 1))).toEqual(['erp-plugin-shelf-labels-1.2.0.tgz']);
  expect(lines[0]).toMatch(/^packed @erp-plugin\/shelf-labels@1\.2\.0 \(\d+ ms\)$/);
  port = await freePort();
}, 120_000);

afterAll(async () => {
  if (registry) await stopRegistry();
  rmSync(work, { recursive: true, force: true });
});

describe("the image's registry", () => {
  it('publishes the packed first-party releases it lacks, signed by the first-party publisher', async () => {
    const out = await startRegistry();
    expect(out).toMatch(/registry seeded: 1 published, 0 already there/);
    const url = `http://127.0.0.1:${port}/`;
    const fetched = await fetchPlugin({
      registry: url,
      name: '@erp-plugin/shelf-labels',
      spec: '^1.0.0',
      store: join(work, 'store'),
      provided: ['@erp/sdk'], // as the kernel fetches: it provides the SDK
    });
    expect(fetched.version).toBe('1.2.0');
    const dist = fetched.manifest.dist as {
      publisherSignature?: Parameters<typeof verifyRelease>[0]['signature'];
    };
    const verification = await verifyRelease({
      release: {
        name: fetched.name,
        version: fetched.version,
        integrity: fetched.integrity,
        manifestHash: dist.publisherSignature!.manifestHash,
      },
      signature: dist.publisherSignature ?? null,
      keys: new RegistryPublisherKeys(url),
    });
    expect([verification.status, verification.publisher]).toEqual(['valid', 'erp']);
    // The first-party key (and the registry user's password) stay on the registry's volume, 0600.
    expect(readdirSync(dataDir)).toContain('first-party-publisher.json');
    expect(statSync(join(dataDir, 'first-party-publisher.json')).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('publishes nothing again after a restart, and stops on SIGTERM with exit code 0', async () => {
    expect(await stopRegistry()).toBe(0);
    const out = await startRegistry();
    expect(out).toMatch(/registry seeded: 0 published, 1 already there/);
    expect(await stopRegistry()).toBe(0);
  }, 120_000);
});
