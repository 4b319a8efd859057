// erp-plugin: create, build (check), test and pack a plugin. Every command answers --help and
// --version; a command line it does not understand names the command or flag and exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ManifestError, parsePluginPackage } from '../manifest/index.js';
import { createPlugin, ScaffoldError } from '../scaffold/index.js';
import { CheckError, checkCode } from './check.js';
import { COMMANDS, type Command, HELP, SDK_VERSION, UsageError } from './usage.js';

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

/** typescript's compiler: the plugin's own, else the one next to the SDK. */
function tscPath(dir: string): string {
  for (const from of [join(dir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('typescript/bin/tsc');
    } catch {
      // try the next place
    }
  }
  throw new Error('typescript is not installed (npm i -D typescript)');
}

/** The plugin's UI build config (ui/vite.config.*), if it has one. */
function uiConfig(dir: string): string | undefined {
  return ['ts', 'mjs', 'js'].map((ext) => join(dir, 'ui', `vite.config.${ext}`)).find((f) => existsSync(f));
}

/** Builds the browser module with the plugin's own vite (a devDependency of a plugin with a UI). */
function buildUi(dir: string, config: string): void {
  let vite: string;
  try {
    // vite's exports hide bin/, so its command is found through its package.json.
    const manifest = createRequire(join(dir, 'package.json')).resolve('vite/package.json');
    const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vite: string } }).bin.vite;
    vite = join(dirname(manifest), bin);
  } catch {
    throw new Error('ui/vite.config needs vite installed next to the plugin (npm i -D vite)');
  }
  const r = spawnSync(process.execPath, [vite, 'build', '--config', config], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the UI build failed (see above)');
}

async function build(dir: string): Promise<void> {
  let done = step('manifest');
  const pkg = readPackage(dir);
  done();
  done = step('code and migrations against the manifest');
  const by = await checkCode(pkg, dir);
  done();
  if (by === 'sdk')
    console.log('  (checked by the SDK alone; install @erp/plugin-testkit for the kernel’s own checks)');
  if (existsSync(join(dir, 'tsconfig.json'))) {
    done = step('type-check');
    const tsc = spawnSync(process.execPath, [tscPath(dir), '--noEmit', '-p', dir], { stdio: 'inherit' });
    done(tsc.status === 0);
    if (tsc.status !== 0) throw new Error('type errors (see above)');
  }
  const ui = uiConfig(dir);
  if (ui) {
    done = step('browser module (vite)');
    try {
      buildUi(dir, ui);
      done();
    } catch (err) {
      done(false);
      throw err;
    }
    const module = pkg.manifest.ui?.module;
    if (module && !existsSync(join(dir, module)))
      throw new CheckError(`erp.ui.module: ${module} was not written by the UI build`);
  }
  console.log(`${pkg.name}@${pkg.version} (plugin ${pkg.manifest.id}) is ready`);
}

async function test(dir: string): Promise<void> {
  const pkg = readPackage(dir);
  // The element's tests load the built module: build it when it is missing.
  const ui = uiConfig(dir);
  const module = pkg.manifest.ui?.module;
  if (ui && module && !existsSync(join(dir, module))) buildUi(dir, ui);
  let vitestNode: typeof import('vitest/node');
  try {
    vitestNode = await import('vitest/node');
  } catch {
    throw new Error('vitest is not installed next to the plugin (npm i -D vitest @erp/plugin-testkit)');
  }
  const vitest = await vitestNode.startVitest('test', [], {
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

function create(target: string | undefined, values: Record<string, string | boolean | undefined>): void {
  if (!target) throw new UsageError('create needs a folder: erp-plugin create <dir> --id <id>');
  const dir = resolve(target);
  const id = (values.id as string | undefined) ?? basename(dir);
  const trust = (values.trust as string | undefined) ?? 'third-party';
  if (trust !== 'third-party' && trust !== 'first-party')
    throw new UsageError(`--trust must be third-party or first-party (got ${JSON.stringify(trust)})`);
  const files = createPlugin(dir, {
    id,
    packageName: (values.package as string | undefined) ?? `erp-plugin-${id}`,
    displayName:
      (values['display-name'] as string | undefined) ??
      id.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`),
    version: '0.1.0',
    kernelRange: '^0.1.0',
    sdkRange: `^${SDK_VERSION}`,
    trust,
  });
  console.log(
    `created plugin ${id} in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n\nnext: cd ${target} && npm install && npm test`,
  );
}

const COMMON: ParseArgsConfig['options'] = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};
const OPTIONS: Record<Command, ParseArgsConfig['options']> = {
  create: {
    ...COMMON,
    id: { type: 'string' },
    package: { type: 'string' },
    'display-name': { type: 'string' },
    trust: { type: 'string' },
  },
  build: COMMON,
  test: COMMON,
  pack: COMMON,
};
const MAX_POSITIONALS: Record<Command, number> = { create: 1, build: 1, test: 1, pack: 1 };

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic && !(topic in COMMANDS)) throw new UsageError(`unknown command ${JSON.stringify(topic)}`);
    console.log(topic ? COMMANDS[topic as Command] : HELP);
    return;
  }
  if (first === '--version' || first === '-v') {
    console.log(SDK_VERSION);
    return;
  }
  if (first.startsWith('-'))
    throw new UsageError(`unknown option ${JSON.stringify(first)}; run "erp-plugin --help"`);
  if (!(first in COMMANDS))
    throw new UsageError(`unknown command ${JSON.stringify(first)}; run "erp-plugin --help"`);
  const command = first as Command;
  const parsed = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS[command], strict: true });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = parsed.positionals;
  if (values.help) {
    console.log(COMMANDS[command]);
    return;
  }
  if (values.version) {
    console.log(SDK_VERSION);
    return;
  }
  if (positionals.length > MAX_POSITIONALS[command])
    throw new UsageError(`${command} takes one folder; unexpected ${JSON.stringify(positionals[1])}`);
  const dir = resolve(positionals[0] ?? '.');
  switch (command) {
    case 'create':
      return create(positionals[0], values);
    case 'build':
      return build(dir);
    case 'test':
      return test(dir);
    case 'pack':
      return pack(dir);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage =
    err instanceof UsageError ||
    err instanceof ScaffoldError ||
    err instanceof ManifestError ||
    err instanceof CheckError ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`erp-plugin: ${(err as Error).message}`);
  process.exit(usage ? 2 : 1);
});
