// The scaffold's output, generated into a temporary folder outside the workspace, passes its own
// tests (against a real kernel), builds and packs — what a partner gets from `erp-plugin create`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(sdkDir, 'bin', 'erp-plugin.mjs');
const work = mkdtempSync(join(tmpdir(), 'erp-scaffold-'));
const dir = join(work, 'shelf-life');

const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env } });

describe('erp-plugin create', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('scaffolds a plugin', () => {
    // first-party: the kit runs it in-process (a third-party plugin needs the sandbox, not here yet).
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
    // What `npm install` gives a partner: the SDK and vitest in node_modules.
    mkdirSync(join(dir, 'node_modules', '@erp'), { recursive: true });
    symlinkSync(sdkDir, join(dir, 'node_modules', '@erp', 'sdk'));
    symlinkSync(join(sdkDir, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'));
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(
      join(sdkDir, '..', 'node_modules', '@types', 'node'),
      join(dir, 'node_modules', '@types', 'node'),
    );
    symlinkSync(join(sdkDir, '..', 'node_modules', 'typescript'), join(dir, 'node_modules', 'typescript'));
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

  it('builds: manifest, code against manifest, migrations', () => {
    const r = run('build', dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('is ready');
  });

  it('passes its own tests against a real kernel', () => {
    const r = run('test', dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('packs a tarball', () => {
    const r = run('pack', dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(dir, 'acme-erp-plugin-shelf-life-0.1.0.tgz'))).toBe(true);
  });
});
