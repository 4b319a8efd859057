// The scaffold's output, generated into a temporary folder outside the workspace, passes its own
// tests (against a real kernel, through this test kit), builds and packs — what a partner gets from `erp-plugin create`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const kitDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const sdkDir = join(kitDir, '..');
const repoDir = join(sdkDir, '..');
const cli = join(sdkDir, 'bin', 'erp-plugin.mjs');
const work = mkdtempSync(join(tmpdir(), 'erp-scaffold-'));
const dir = join(work, 'shelf-life');

const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env } });

describe('erp-plugin create', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('scaffolds a plugin', () => {
    // first-party: the kit runs it in-process, and in the sandbox when asked (ERP_TEST_RUNTIME).
    const r = run(
      'create',
      dir,
      '--id',
      'shelf-life',
      '--package',
      '@acme/erp-plugin-shelf-life',
      '--trust',
      'first-party',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('created plugin shelf-life');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).erp.trust).toBe('first-party');
    // What `npm install` gives a partner: the SDK, the test kit with the kernel it runs (hoisted
    // next to it, as npm does), vitest and typescript in node_modules.
    const modules = join(dir, 'node_modules');
    mkdirSync(join(modules, '@erp'), { recursive: true });
    mkdirSync(join(modules, '@types'), { recursive: true });
    symlinkSync(sdkDir, join(modules, '@erp', 'sdk'));
    symlinkSync(kitDir, join(modules, '@erp', 'plugin-testkit'));
    symlinkSync(join(repoDir, 'kernel'), join(modules, '@erp', 'kernel'));
    symlinkSync(join(kitDir, 'node_modules', 'vitest'), join(modules, 'vitest'));
    symlinkSync(join(repoDir, 'node_modules', '@types', 'node'), join(modules, '@types', 'node'));
    symlinkSync(join(repoDir, 'node_modules', 'typescript'), join(modules, 'typescript'));
    // The element's build tools (devDependencies of the scaffold): vite, and lit it bundles.
    symlinkSync(join(kitDir, 'node_modules', 'vite'), join(modules, 'vite'));
    symlinkSync(join(kitDir, 'node_modules', 'lit'), join(modules, 'lit'));
    symlinkSync(join(kitDir, 'node_modules', 'playwright-core'), join(modules, 'playwright-core'));
  });

  it('refuses a bad id or a non-empty folder, naming the problem', () => {
    const bad = run('create', join(work, 'x'), '--id', 'Bad_Id');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--id');
    const badTrust = run('create', join(work, 'y'), '--id', 'y', '--trust', 'root');
    expect(badTrust.status).toBe(2);
    expect(badTrust.stderr).toContain('--trust');
    const partner = run('create', join(work, 'partner'), '--id', 'partner');
    expect(partner.status, partner.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'partner', 'package.json'), 'utf8')).erp.trust).toBe(
      'third-party',
    );
    const full = run('create', dir, '--id', 'shelf-life');
    expect(full.status).toBe(2);
    expect(full.stderr).toContain('is not empty');
  });

  it('builds: manifest, code against manifest, migrations, and the lit element with vite', () => {
    const r = run('build', dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('is ready');
    expect(r.stdout).toContain('browser module (vite) … ok');
    const module = readFileSync(join(dir, 'ui', 'dist', 'shelf-life-items.js'), 'utf8');
    expect(module).toContain('shelf-life-items');
    // lit is bundled in: the module imports nothing by bare name, so it loads from its asset URL.
    expect(module).not.toMatch(/\bfrom\s*["'][^./]/);
    // The kernel is installed next to the plugin (through the kit): its own loader checked the code.
    expect(r.stdout).not.toContain('checked by the SDK alone');
  });

  it('passes its own tests against a real kernel', () => {
    const r = run('test', dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // Its element test ran in Chromium (it is skipped only where Chromium is missing).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    if (existsSync('/usr/bin/chromium')) {
      expect(plain).toMatch(/✓ test\/ui\.test\.ts \(1 test\)/);
      expect(plain).not.toMatch(/skipped|failed/);
    }
  });

  it('passes the same tests unmodified with its code in the sandbox', () => {
    const r = spawnSync(process.execPath, [cli, 'test', dir], {
      encoding: 'utf8',
      env: { ...process.env, ERP_TEST_RUNTIME: 'sandbox' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('packs a tarball', () => {
    const r = run('pack', dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const tarball = join(dir, 'acme-erp-plugin-shelf-life-0.1.0.tgz');
    expect(existsSync(tarball)).toBe(true);
    const files = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
    expect(files).toContain('package/ui/dist/shelf-life-items.js');
    expect(files.some((f) => f.startsWith('package/ui/src'))).toBe(false);
  });
});
