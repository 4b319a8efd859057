// erp-plugin: create, build (check), test and pack a plugin. Usage errors name the flag and exit 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ManifestError, parsePluginPackage } from '../manifest/index.js';
import { createPlugin, ScaffoldError } from '../scaffold/index.js';

const SDK_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

const HELP = `erp-plugin ${SDK_VERSION} — write, test and package ERP plugins

Usage:
  erp-plugin create <dir> --id <id> [--package <npm name>] [--display-name <text>]
                         [--trust third-party|first-party]
                         scaffold a working plugin (route, migration, event, subscription, job,
                         web component, tests, README); trust defaults to third-party (runs in
                         the sandbox); first-party is for the platform's own plugins
  erp-plugin build [dir] check the manifest, load the code against it, lint the migrations and
                         type-check (tsc) when a tsconfig.json is present
  erp-plugin test [dir]  run the plugin's tests against a real kernel with a test tenant
                         (embedded PostgreSQL, or DATABASE_URL)
  erp-plugin pack [dir]  build, then write <name>-<version>.tgz for the marketplace`;

class UsageError extends Error {}

function step(label: string): (ok?: boolean) => void {
  const started = Date.now();
  process.stdout.write(`• ${label} … `);
  return (ok = true) => console.log(`${ok ? 'ok' : 'FAILED'} (${Date.now() - started} ms)`);
}

function readPackage(dir: string) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) throw new UsageError(`${dir} has no package.json (is it a plugin folder?)`);
  return parsePluginPackage(JSON.parse(readFileSync(file, 'utf8')));
}

async function build(dir: string): Promise<void> {
  let done = step('manifest');
  const pkg = readPackage(dir);
  done();
  done = step('code and migrations against the manifest');
  const { loadPlugin } = await import('@erp/kernel');
  await loadPlugin({ pkg, dir });
  done();
  if (existsSync(join(dir, 'tsconfig.json'))) {
    done = step('type-check');
    const tsc = spawnSync(process.execPath, [require_tsc(), '--noEmit', '-p', dir], { stdio: 'inherit' });
    done(tsc.status === 0);
    if (tsc.status !== 0) throw new Error('type errors (see above)');
  }
  console.log(`${pkg.name}@${pkg.version} (plugin ${pkg.manifest.id}) is ready`);
}

function require_tsc(): string {
  const candidates = [
    join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc'),
    new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname,
    new URL('../../../node_modules/typescript/bin/tsc', import.meta.url).pathname,
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('typescript is not installed (npm i -D typescript)');
  return found;
}

async function test(dir: string): Promise<void> {
  readPackage(dir);
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest('test', [], {
    root: dir,
    run: true,
    watch: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  });
  const failed = vitest?.state.getCountOfFailedTests() ?? 1;
  await vitest?.close();
  if (failed > 0 || process.exitCode) throw new Error('tests failed');
}

async function pack(dir: string): Promise<void> {
  await build(dir);
  const done = step('pack');
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' });
  done(r.status === 0);
  if (r.status !== 0) throw new Error(r.stderr.trim());
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string; size: number; entryCount: number }>;
  console.log(`${join(dir, info!.filename)} (${info!.entryCount} files, ${info!.size} bytes)`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      package: { type: 'string' },
      'display-name': { type: 'string' },
      trust: { type: 'string' },
    },
    strict: true,
  });
  const dir = resolve(positionals[0] ?? '.');
  switch (command) {
    case 'create': {
      if (!positionals[0]) throw new UsageError('create needs a folder: erp-plugin create <dir> --id <id>');
      const id = values.id ?? basename(dir);
      const trust = values.trust ?? 'third-party';
      if (trust !== 'third-party' && trust !== 'first-party')
        throw new UsageError(`--trust must be third-party or first-party (got ${JSON.stringify(trust)})`);
      const files = createPlugin(dir, {
        id,
        packageName: values.package ?? `erp-plugin-${id}`,
        displayName:
          values['display-name'] ??
          id.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`),
        version: '0.1.0',
        kernelRange: '^0.1.0',
        sdkRange: `^${SDK_VERSION}`,
        trust,
      });
      console.log(
        `created plugin ${id} in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n\nnext: cd ${dir} && npm install && npm test`,
      );
      return;
    }
    case 'build':
      return build(dir);
    case 'test':
      return test(dir);
    case 'pack':
      return pack(dir);
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP);
      return;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; run "erp-plugin help"`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage =
    err instanceof UsageError ||
    err instanceof ScaffoldError ||
    err instanceof ManifestError ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`erp-plugin: ${(err as Error).message}`);
  process.exit(usage ? 2 : 1);
});
