// `erp start` brings up the marketplace registry: its address on a line of its own, then, in the
// background, the SDK and the first-party plugins published into it, signed. A partner with only
// that address installs the SDK with the ordinary npm client in an empty folder outside the
// repository and runs its erp-plugin command; the plugins carry the registry's signature.
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FIRST_PARTY_PUBLISHER_FILE,
  firstPartyPackages,
  loadMarketplace,
  type MarketplaceModule,
} from '../src/marketplace/index.js';
import { createTestDatabase, dropTestDatabase } from './support/harness.js';

const KERNEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = join(KERNEL_DIR, '..');
const version = (dir: string): string =>
  JSON.parse(readFileSync(join(REPO_DIR, dir, 'package.json'), 'utf8')).version;

const work = mkdtempSync(join(tmpdir(), 'erp-registry-start-'));
// mkdtemp makes 0700; the embedded PostgreSQL runs as its own user when the tests run as root.
chmodSync(work, 0o755);
const dataDir = join(work, 'data');
const partner = join(work, 'partner');

// A user's plain shell: no npm_* settings and no NODE_PATH from the pnpm that started vitest.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_PATH'),
) as NodeJS.ProcessEnv;
const run = (cmd: string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(cmd[0]!, cmd.slice(1), { cwd, encoding: 'utf8', env, timeout: 120_000 });
const output = (r: SpawnSyncReturns<string>) => `${r.stdout}\n${r.stderr}`;

let server: ChildProcess;
let out = '';
let registry: string;
let databaseUrl: string | undefined;

/** Resolves with the first line of the server's stdout that matches, rejects if it exits first. */
function lineMatching(pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (!line) return false;
      server.stdout!.off('data', check);
      resolve(line);
      return true;
    };
    if (check()) return;
    server.stdout!.on('data', check);
    server.once('exit', (code) => reject(new Error(`erp start exited with ${code}:\n${out}`)));
  });
}

describe('erp start runs a seeded marketplace registry', () => {
  beforeAll(async () => {
    databaseUrl = inject('clusterKind') === 'server' ? await createTestDatabase() : undefined;
    mkdirSync(partner);
    server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
      cwd: KERNEL_DIR,
      env: {
        ...env,
        DATABASE_URL: databaseUrl ?? '',
        ERP_DATA_DIR: dataDir,
        PORT: '0',
        REGISTRY_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    server.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
  });
  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    rmSync(work, { recursive: true, force: true });
  });

  it('prints the registry address on a line of its own', async () => {
    const line = await lineMatching(/^registry: /);
    expect(line).toMatch(/^registry: http:\/\/127\.0\.0\.1:\d+$/);
    registry = line.slice('registry: '.length);
    const ping = await fetch(`${registry}/-/ping`);
    expect(ping.status).toBe(200);
  });

  it('seeds the SDK and the first-party plugins in the background, signed with a key kept 0600', async () => {
    const line = await lineMatching(/registry seed(ed|ing failed)/);
    expect(line, out).toContain(`registry seeded: ${firstPartyPackages().length} package(s) published`);
    const view = run(['npm', 'view', '@erp/sdk', 'version', `--@erp:registry=${registry}`], partner);
    expect(view.status, output(view)).toBe(0);
    expect(view.stdout.trim()).toBe(version('sdk'));
    expect(statSync(join(dataDir, FIRST_PARTY_PUBLISHER_FILE)).mode & 0o777).toBe(0o600);
  }, 300_000);

  it('lets a partner install the SDK from it with npm and run erp-plugin', () => {
    writeFileSync(join(partner, 'package.json'), '{ "name": "partner", "private": true }\n');
    // Only @erp comes from the marketplace; the SDK's own dependencies come from the public registry.
    const installed = run(
      [
        'npm',
        'install',
        '@erp/sdk',
        `--@erp:registry=${registry}`,
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      partner,
    );
    expect(installed.status, output(installed)).toBe(0);
    const manifest = JSON.parse(
      readFileSync(join(partner, 'node_modules', '@erp', 'sdk', 'package.json'), 'utf8'),
    );
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    const cli = run(['npx', 'erp-plugin', '--version'], partner);
    expect(cli.status, output(cli)).toBe(0);
    expect(cli.stdout.trim()).toBe(version('sdk'));
  }, 300_000);

  it('serves the first-party plugins with registry and publisher signatures, no workspace ranges', () => {
    const view = run(
      ['npm', 'view', '@erp-plugin/warehouses', '--json', `--@erp-plugin:registry=${registry}`],
      partner,
    );
    expect(view.status, output(view)).toBe(0);
    const packument = JSON.parse(view.stdout);
    expect(packument.version).toBe(version('plugins/warehouses'));
    expect(packument.dependencies['@erp/sdk']).toBe(`^${version('sdk')}`);
    expect(packument.dist.signatures).toEqual([
      { keyid: expect.stringMatching(/^SHA256:/), sig: expect.any(String) },
    ]);
    const publisher = JSON.parse(readFileSync(join(dataDir, FIRST_PARTY_PUBLISHER_FILE), 'utf8'));
    expect(packument.dist.publisherSignature.keyid).toBe(publisher.keyid);
  });

  it('stops on SIGINT with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('the marketplace module the kernel loads', () => {
  it('is the real @erp/marketplace, of the shape the kernel expects', async () => {
    // The kernel loads it by a variable specifier (an optional dependency): this assignment makes
    // the type-check compare the shape it expects with the real module.
    const real: MarketplaceModule = await import('@erp/marketplace');
    expect(await loadMarketplace()).toBe(real);
  });
});
