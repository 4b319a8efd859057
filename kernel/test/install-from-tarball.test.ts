// The kernel as an operator installs it: @erp/kernel, @erp/sandbox and @erp/sdk packed as they will be published,
// installed with npm into an empty folder outside the repository (every other dependency from the
// public registry), and the `erp` bin run from there: compiled JavaScript, no tsx, embedded
// PostgreSQL, JSON log lines because stdout is a pipe.
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPackLock } from '../src/marketplace/index.js';
import { pnpmCommand } from './support/pnpm.js';

const kernelDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = join(kernelDir, '..');
const version: string = JSON.parse(readFileSync(join(kernelDir, 'package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'erp-kernel-tarball-'));
const app = join(work, 'app');
// mkdtemp makes the folder 0700; embedded PostgreSQL, run as its own user when the tests run as root,
// must reach the binaries installed below it.
chmodSync(work, 0o755);

// A user's plain shell: no npm_* settings and no NODE_PATH (pnpm's .bin shims set one that reaches
// every package of the workspace).
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_PATH'),
);
const run = (cmd: string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(cmd[0]!, cmd.slice(1), { cwd, encoding: 'utf8', env, timeout: 400_000 });
const output = (r: SpawnSyncReturns<string>) => `${r.stdout}\n${r.stderr}`;

let server: ChildProcess | undefined;

describe('@erp/kernel installed from its tarball outside the repository', () => {
  beforeAll(async () => {
    for (const dir of [join(repoDir, 'sdk'), join(repoDir, 'sandbox'), kernelDir]) {
      // The lock: registry-start.test.ts's `erp start` compiles and packs the SDK at the same time.
      const packed = await withPackLock(dir, async () =>
        run([...pnpmCommand(repoDir), 'pack', '--pack-destination', work], dir),
      );
      expect(packed.status, output(packed)).toBe(0);
    }
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    const installed = run(
      [
        'npm',
        'install',
        ...tarballs.map((t) => join(work, t)),
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      app,
    );
    expect(installed.status, output(installed)).toBe(0);
  }, 600_000);
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('ships compiled JavaScript with declarations, not sources', () => {
    const kernel = join(app, 'node_modules', '@erp', 'kernel');
    const manifest = JSON.parse(readFileSync(join(kernel, 'package.json'), 'utf8'));
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(manifest.dependencies['@erp/sdk']).toBe(`^${version}`);
    expect(manifest.dependencies.tsx).toBeUndefined();
    expect(existsSync(join(kernel, 'src'))).toBe(false);
    expect(existsSync(join(kernel, 'dist', 'index.d.ts'))).toBe(true);
  });

  it('answers npx erp --version and erp tenant create --help', () => {
    const v = run(['npx', 'erp', '--version'], app);
    expect(v.status, output(v)).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const help = run(['npx', 'erp', 'tenant', 'create', '--help'], app);
    expect(help.status, output(help)).toBe(0);
    expect(help.stdout).toContain('Usage: erp tenant create');
  });

  it('starts on embedded PostgreSQL and logs JSON lines to a pipe', async () => {
    const dataDir = join(work, 'data');
    const bin = join(app, 'node_modules', '@erp', 'kernel', 'bin', 'erp.mjs');
    server = spawn(process.execPath, [bin, 'start'], {
      cwd: app,
      env: {
        ...env,
        DATABASE_URL: '',
        ERP_DATA_DIR: dataDir,
        ERP_PLUGIN_PATH: join(work, 'plugins'),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const listening = await new Promise<{ msg: string }>((resolve, reject) => {
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.includes('listening on'));
        if (line) resolve(JSON.parse(line));
      });
      server!.on('exit', (code) => reject(new Error(`erp start exited with ${code}: ${out}`)));
    });
    expect(listening.msg).toContain(`ERP kernel ${version} listening on http://`);
    const url = /listening on (http:\/\/\S+)/.exec(listening.msg)![1]!;
    const health = await fetch(`${url}/health/live`);
    expect(health.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server!.on('exit', resolve));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
