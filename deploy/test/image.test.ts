// The container image definition (Dockerfile, .dockerignore) and the build step that makes the
// deployed kernel runnable by plain Node (deploy/image/publish-exports.mjs). The image itself is
// built by `docker build` (deploy/README.md says how it was checked on a machine without Docker Hub).
import { execFileSync, spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPLOY_DIR, REPO_DIR } from './support/paths.js';

const dockerfile = DockerfileParser.parse(readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const runtimeStart = froms.at(-1)!.getRange().start.line;
const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart);
const build = instructions.filter((i) => i.getRange().start.line < runtimeStart);
const text = (list: Instruction[], keyword: string) =>
  list
    .filter((i) => i.getKeyword() === keyword)
    .map((i) => i.getArgumentsContent() ?? '')
    .join('\n');

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, both on Node 20 pinned by digest', () => {
    expect(froms.map((f) => f.getBuildStage())).toEqual(['build', 'runtime']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own ${NODE_IMAGE}, literally
    for (const f of froms) expect(f.getImage()).toBe('${NODE_IMAGE}');
    const arg = instructions[0]!;
    expect(arg.getKeyword()).toBe('ARG');
    expect(arg.getArgumentsContent()).toMatch(/^NODE_IMAGE=node:20[\w.-]*@sha256:[0-9a-f]{64}$/);
  });

  it('installs from the lockfile, compiles, and copies only production dependencies to the runtime', () => {
    const steps = text(build, 'RUN');
    expect(steps).toContain('pnpm install --frozen-lockfile');
    expect(steps).toMatch(/pnpm --filter @erp\/kernel deploy --prod/);
    expect(steps).toContain('node deploy/image/publish-exports.mjs /out');
    // isolated-vm is compiled in the build stage, which has the toolchain; the runtime has none.
    expect(steps).toMatch(/python3 make g\+\+/);
    expect(text(runtime, 'RUN')).not.toMatch(/g\+\+|pnpm|npm install/);
    const copies = dockerfile.getCOPYs().filter((c) => c.getRange().start.line >= runtimeStart);
    expect(copies.map((c) => [c.getFromFlag()?.getValue(), c.getArgumentsContent()])).toEqual([
      ['build', '/out /app'],
    ]);
  });

  it('runs as a non-root user, in production mode, under tini, with the sandbox flag and a health check', () => {
    const user = text(runtime, 'USER');
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user.split(':')[0]).not.toBe('0');
    expect(text(runtime, 'ENV')).toMatch(/NODE_ENV=production/);
    const entrypoint = JSON.parse(text(runtime, 'ENTRYPOINT'));
    expect(entrypoint.slice(0, 5)).toEqual([
      '/usr/bin/tini',
      '--',
      'node',
      '--no-node-snapshot',
      '/app/bin/erp.mjs',
    ]);
    expect(JSON.parse(text(runtime, 'CMD'))).toEqual(['start']);
    expect(text(runtime, 'HEALTHCHECK')).toMatch(/\/health\/ready/);
    // The installed `erp` runs dist/ when src/ is absent, as in the image.
    expect(readFileSync(join(REPO_DIR, 'kernel/bin/erp.mjs'), 'utf8')).toContain("'../dist/cli/main.js'");
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(join(REPO_DIR, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // Docker's matching (Go filepath.Match per segment, `**` for any number of folders), enough for
  // the patterns used: a pattern matches a path or any folder above it.
  const matchers = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*\//g, '(.*/)?')
          .replace(/\*/g, '[^/]*')}(/.*)?$`,
      ),
  );
  const ignored = (path: string) => matchers.some((m) => m.test(path));

  it('keeps local installs, data, secrets and history out of the build context', () => {
    for (const path of [
      '.git/config',
      'node_modules/x/index.js',
      'kernel/node_modules/x',
      'kernel/dist/index.js',
      '.erp-data/pg/PG_VERSION',
      'deploy/compose/secrets/erp.env',
      'deploy/compose/certs/ca.key',
      'kernel/.env',
    ])
      expect(ignored(path), path).toBe(true);
  });

  it('keeps every file git tracks that the build needs (sources, lockfile, committed plugin bundles)', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_DIR, encoding: 'utf8' }).split('\n');
    const dropped = tracked.filter((f) => f && ignored(f) && !f.startsWith('.ci/'));
    expect(dropped).toEqual([]);
    expect(tracked.some((f) => /^plugins\/[^/]+\/ui\/dist\//.test(f))).toBe(true);
  });
});

describe('publish-exports.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'erp-publish-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, content: unknown) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  };
  const run = () =>
    spawnSync(process.execPath, [join(DEPLOY_DIR, 'image/publish-exports.mjs'), join(dir, 'out')], {
      encoding: 'utf8',
    });

  it('points the deployed package and its @erp packages at their compiled files, without touching the workspace files they link to', () => {
    // The deployed package itself (the kernel): registry.mjs imports @erp/kernel/marketplace by name.
    write('out/package.json', {
      name: '@erp/kernel',
      exports: { '.': './src/index.ts', './marketplace': './src/marketplace/index.ts' },
      publishConfig: {
        exports: {
          '.': { import: './dist/index.js' },
          './marketplace': { import: './dist/marketplace/index.js' },
        },
      },
    });
    write('out/dist/index.js', '');
    write('out/dist/marketplace/index.js', '');
    write('out/node_modules/@erp/sdk/package.json', {
      name: '@erp/sdk',
      exports: { '.': './src/index.ts' },
      publishConfig: { exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } } },
    });
    write('out/node_modules/@erp/sdk/dist/index.js', '');
    const source = {
      name: '@erp/marketplace',
      exports: { '.': './src/index.ts', './x': './src/x/index.ts' },
    };
    write('workspace/marketplace/package.json', source);
    mkdirSync(join(dir, 'out/node_modules/@erp/marketplace/dist/x'), { recursive: true });
    linkSync(
      join(dir, 'workspace/marketplace/package.json'),
      join(dir, 'out/node_modules/@erp/marketplace/package.json'),
    );
    write('out/node_modules/@erp/marketplace/dist/index.js', '');
    write('out/node_modules/@erp/marketplace/dist/x/index.js', '');
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    const read = (p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8'));
    expect(read('out/node_modules/@erp/sdk/package.json').exports).toEqual({
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
    });
    expect(read('out/node_modules/@erp/marketplace/package.json').exports).toEqual({
      '.': './dist/index.js',
      './x': './dist/x/index.js',
    });
    expect(read('workspace/marketplace/package.json')).toEqual(source);
    expect(read('out/package.json').exports).toEqual({
      '.': { import: './dist/index.js' },
      './marketplace': { import: './dist/marketplace/index.js' },
    });
  });

  it('fails naming a package whose compiled export is missing', () => {
    rmSync(join(dir, 'out/node_modules/@erp/marketplace/dist/x/index.js'));
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('@erp/marketplace: export ./dist/x/index.js is missing');
  });
});
