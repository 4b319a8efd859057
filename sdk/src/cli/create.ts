// `erp-plugin create`: the scaffold, and with --registry an .npmrc that sends the platform's scopes
// and the plugin's own scope to the marketplace (everything else keeps the partner's registry), so
// `npm install`, `npm test` and `erp-plugin publish` in the new folder need no more configuration.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cleanNpmEnv } from '../marketplace/index.js';
import { createPlugin } from '../scaffold/index.js';
import { SDK_VERSION, UsageError } from './usage.js';

/** The scopes the marketplace serves for every plugin: the SDK, kernel and test kit; first-party plugins. */
const PLATFORM_SCOPES = ['@erp', '@erp-plugin'];

export function npmrcFor(registry: string, packageName: string): string {
  const url = new URL(registry).href;
  const scopes = new Set(PLATFORM_SCOPES);
  if (packageName.startsWith('@')) scopes.add(packageName.split('/')[0]!);
  return `${[...scopes].map((scope) => `${scope}:registry=${url}`).join('\n')}\n`;
}

export function create(
  target: string | undefined,
  values: Record<string, string | boolean | undefined>,
): void {
  if (!target) throw new UsageError('create needs a folder: erp-plugin create <dir> --id <id>');
  const dir = resolve(target);
  const id = (values.id as string | undefined) ?? basename(dir);
  const trust = (values.trust as string | undefined) ?? 'third-party';
  if (trust !== 'third-party' && trust !== 'first-party')
    throw new UsageError(`--trust must be third-party or first-party (got ${JSON.stringify(trust)})`);
  const registry = values.registry as string | undefined;
  if (registry !== undefined && !URL.canParse(registry))
    throw new UsageError(`--registry must be a URL (got ${JSON.stringify(registry)})`);
  const packageName = (values.package as string | undefined) ?? `erp-plugin-${id}`;
  const files = createPlugin(dir, {
    id,
    packageName,
    displayName:
      (values['display-name'] as string | undefined) ??
      id.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`),
    version: '0.1.0',
    kernelRange: '^0.1.0',
    sdkRange: `^${SDK_VERSION}`,
    trust,
  });
  if (registry) {
    writeFileSync(join(dir, '.npmrc'), npmrcFor(registry, packageName));
    files.push('.npmrc');
  }
  console.log(`created plugin ${id} in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}`);
  if (values.install) {
    console.log('\n• npm install …');
    const installed = spawnSync('npm', ['install', '--no-fund', '--no-audit'], {
      cwd: dir,
      stdio: 'inherit',
      env: cleanNpmEnv(),
    });
    if (installed.status !== 0) {
      // The commonest cause seen: a marketplace started moments ago still publishing the SDK's
      // packages (its log says "registry seeded" when done); the scaffold is kept either way.
      throw new Error(
        `npm install in ${dir} failed (exit ${installed.status}); the files are kept: fix the cause above, then run "npm install" there.` +
          (registry
            ? ` A 404 for an @erp package from a marketplace that has just started means it is still publishing them (its log says "registry seeded" when done).`
            : ''),
      );
    }
    console.log(`\nnext: cd ${target} && npm test`);
  } else {
    console.log(`\nnext: cd ${target} && npm install && npm test`);
  }
}
