// What a partner outside the repository gets: the SDK packed as it will be published, installed
// with npm from its tarball into an empty folder (its dependencies from the public registry), its
// `erp-plugin` command run through npx, and a plugin scaffolded, built and packed with it.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pnpmCommand } from './support/pnpm.js';

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = join(sdkDir, '..');
const sdkVersion: string = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'erp-sdk-tarball-'));
const app = join(work, 'app');
const plugin = join(app, 'my-plugin');

function run(cmd: string[], cwd: string): SpawnSyncReturns<string> {
  // A user's plain shell: no npm_* settings and no NODE_PATH (pnpm's .bin shims set one that
  // reaches every package of the workspace) from the pnpm/npm that started vitest.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_PATH'),
  );
  return spawnSync(cmd[0]!, cmd.slice(1), { cwd, encoding: 'utf8', env, timeout: 300_000 });
}
const npm = (cwd: string, ...args: string[]) =>
  run(['npm', ...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const output = (r: SpawnSyncReturns<string>) => `${r.stdout}\n${r.stderr}`;

let tarball: string;

describe('@erp/sdk installed from its tarball outside the repository', () => {
  beforeAll(() => {
    // pnpm pack runs the package's prepack (a fresh build) and writes the published package.json:
    // exports pointing at dist, no workspace: ranges.
    const packed = run([...pnpmCommand(repoDir), 'pack', '--pack-destination', work], sdkDir);
    expect(packed.status, output(packed)).toBe(0);
    tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs into an empty folder with npm, its dependencies all from the public registry', () => {
    const r = run(['mkdir', '-p', app], work);
    expect(r.status).toBe(0);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true }, null, 2)}\n`);
    const installed = npm(app, 'install', tarball);
    expect(installed.status, output(installed)).toBe(0);
    const sdk = join(app, 'node_modules', '@erp', 'sdk');
    const manifest = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
    expect(manifest.dependencies?.['@erp/kernel']).toBeUndefined();
    expect(existsSync(join(sdk, 'src'))).toBe(false);
    expect(existsSync(join(sdk, 'dist', 'index.d.ts'))).toBe(true);
    // The kernel is not installed with it: the SDK stands on its own.
    expect(existsSync(join(app, 'node_modules', '@erp', 'kernel'))).toBe(false);
  });

  it('answers npx erp-plugin --version and --help', () => {
    const version = run(['npx', 'erp-plugin', '--version'], app);
    expect(version.status, output(version)).toBe(0);
    expect(version.stdout.trim()).toBe(sdkVersion);
    const help = run(['npx', 'erp-plugin', 'create', '--help'], app);
    expect(help.status, output(help)).toBe(0);
    expect(help.stdout).toContain('Usage: erp-plugin create <dir>');
  });

  it('scaffolds a plugin with npx erp-plugin create', () => {
    const r = run(['npx', 'erp-plugin', 'create', 'my-plugin'], app);
    expect(r.status, output(r)).toBe(0);
    expect(r.stdout).toContain('created plugin my-plugin');
    expect(existsSync(join(plugin, 'src', 'index.ts'))).toBe(true);
  });

  it('builds and packs the scaffolded plugin with the SDK alone', () => {
    // The scaffold asks for @erp/sdk and @erp/plugin-testkit from a registry; until the
    // marketplace registry serves them, the SDK comes from its tarball, and the tests (which need
    // the test kit and the kernel it runs) are left out.
    const file = join(plugin, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    expect(pkg.dependencies['@erp/sdk']).toBe(`^${sdkVersion}`);
    expect(pkg.devDependencies['@erp/plugin-testkit']).toBe(`^${sdkVersion}`);
    pkg.dependencies['@erp/sdk'] = `file:${tarball}`;
    delete pkg.devDependencies['@erp/plugin-testkit'];
    delete pkg.devDependencies.vitest;
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    rmSync(join(plugin, 'test'), { recursive: true });
    const installed = npm(plugin, 'install');
    expect(installed.status, output(installed)).toBe(0);

    const built = run(['npx', 'erp-plugin', 'build'], plugin);
    expect(built.status, output(built)).toBe(0);
    expect(built.stdout).toContain('checked by the SDK alone');
    expect(built.stdout).toContain('type-check … ok');
    // The lit element, built with vite against the SDK's published dist/ui (lit from the registry).
    expect(built.stdout).toContain('browser module (vite) … ok');
    expect(existsSync(join(plugin, 'ui', 'dist', 'my-plugin-items.js'))).toBe(true);
    expect(built.stdout).toContain('erp-plugin-my-plugin@0.1.0 (plugin my-plugin) is ready');

    const packed = run(['npm', 'run', 'pack'], plugin);
    expect(packed.status, output(packed)).toBe(0);
    expect(existsSync(join(plugin, 'erp-plugin-my-plugin-0.1.0.tgz'))).toBe(true);
  });

  it('refuses a plugin whose route uses an undeclared permission, naming it (exit 2)', () => {
    const file = join(plugin, 'src', 'index.ts');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace("'my-plugin.items.write'", "'my-plugin.items.delete'"),
    );
    const r = run(['npx', 'erp-plugin', 'build'], plugin);
    expect(r.status, output(r)).toBe(2);
    expect(r.stderr).toContain('my-plugin.items.delete');
  });
});
