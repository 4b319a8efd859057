// erp-plugin: create, build (check), test, pack and publish a plugin, and the publisher's key.
// Every command answers --help and --version; a command line it does not understand names the
// command or flag and exits 2.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ManifestError } from '../manifest/index.js';
import { MarketplaceError } from '../marketplace/index.js';
import { ScaffoldError } from '../scaffold/index.js';
import { build, buildUi, readPackage, uiConfig } from './build.js';
import { CheckError } from './check.js';
import { create } from './create.js';
import { keyCommand, keygen } from './keys.js';
import { step } from './progress.js';
import { publish } from './publish.js';
import { COMMANDS, type Command, HELP, SDK_VERSION, UsageError } from './usage.js';

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
    // The kernel's plugin sandbox (isolated-vm) asks Node to run without its startup snapshot.
    execArgv: ['--no-node-snapshot'],
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
    registry: { type: 'string' },
    install: { type: 'boolean' },
  },
  build: COMMON,
  test: COMMON,
  pack: COMMON,
  publish: { ...COMMON, registry: { type: 'string' }, key: { type: 'string' }, tag: { type: 'string' } },
  keygen: { ...COMMON, key: { type: 'string' }, force: { type: 'boolean' } },
  key: {
    ...COMMON,
    registry: { type: 'string' },
    key: { type: 'string' },
    expires: { type: 'string' },
    at: { type: 'string' },
    reason: { type: 'string' },
    owner: { type: 'string' },
  },
};
const MAX_POSITIONALS: Record<Command, number> = {
  create: 1,
  build: 1,
  test: 1,
  pack: 1,
  publish: 1,
  keygen: 0,
  key: 2,
};

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
    throw new UsageError(
      `${command} takes ${MAX_POSITIONALS[command] === 0 ? 'no arguments' : 'one folder'}; unexpected ${JSON.stringify(positionals[MAX_POSITIONALS[command]])}`,
    );
  const dir = resolve(command === 'key' ? '.' : (positionals[0] ?? '.'));
  // npm login prompts only when a person is at the terminal; elsewhere the command says what to run.
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  switch (command) {
    case 'create':
      return create(positionals[0], values);
    case 'build':
      await build(dir);
      return;
    case 'test':
      return test(dir);
    case 'pack':
      return pack(dir);
    case 'publish':
      return publish(dir, {
        interactive,
        ...(values.registry ? { registry: values.registry as string } : {}),
        ...(values.key ? { key: values.key as string } : {}),
        ...(values.tag ? { tag: values.tag as string } : {}),
      });
    case 'keygen':
      return keygen(values);
    case 'key':
      return keyCommand(positionals[0], positionals[1], dir, values, interactive);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage =
    err instanceof UsageError ||
    err instanceof ScaffoldError ||
    err instanceof ManifestError ||
    err instanceof CheckError ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const message = (err as Error).message;
  const unreachable = err instanceof MarketplaceError && err.code === 'registry_unreachable';
  console.error(
    `erp-plugin: ${unreachable && !message.startsWith('registry unreachable') ? `registry unreachable: ${message}` : message}`,
  );
  process.exit(usage ? 2 : 1);
});
