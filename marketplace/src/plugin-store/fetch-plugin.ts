// Fetches one plugin version into a content-addressed store: `<store>/<sha512 hex prefix>/`, so the
// same integrity always lands in the same folder and every kernel instance can fetch "this exact
// tarball" by integrity. Extraction goes to a temp folder in the store and is renamed into place
// only when complete. No package script ever runs: pacote only unpacks, and the package's own
// dependencies are installed with `npm install --ignore-scripts`.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pacote from 'pacote';
import { MarketplaceError } from '../errors.js';
import { cleanNpmEnv, registryConfigKey } from './npm-env.js';
import { type PackumentLike, resolveVersion } from './resolve-version.js';

const run = promisify(execFile);

export interface FetchPluginOptions {
  /** Registry URL, e.g. the embedded registry's `url`. */
  registry: string;
  name: string;
  /** An exact version (pinned: deprecated allowed), a semver range or a dist-tag. */
  spec: string;
  /** Bearer token for registries that need one to read. */
  token?: string;
  /** The plugin store folder. */
  store: string;
  /** When given, the tarball must have exactly this integrity (what another instance installed). */
  integrity?: string;
  /** The npm CLI to run for dependencies; default `npm` on PATH. */
  npmCommand?: string;
  /**
   * Dependencies the host provides and that are therefore not installed (the kernel passes
   * `@erp/sdk`: plugins get the kernel's own SDK, and the registry may have no uplink for its
   * dependencies).
   */
  provided?: readonly string[];
}

export interface FetchedPlugin {
  name: string;
  version: string;
  integrity: string;
  /** The package's root folder in the store (its package.json is here, dependencies in node_modules). */
  dir: string;
  /** The version's manifest as the registry serves it (dist included: signatures live there). */
  manifest: Record<string, unknown> & { name: string; version: string; dist: Record<string, unknown> };
}

/** The store folder for an integrity: the first 40 hex digits of its sha512 (160 bits). */
export function storeFolderFor(integrity: string): string {
  const match = /^sha512-([A-Za-z0-9+/]+={0,2})$/.exec(integrity.trim());
  if (!match?.[1])
    throw new MarketplaceError('integrity_invalid', `integrity: ${integrity} is not an SRI sha512 value`);
  return Buffer.from(match[1], 'base64').toString('hex').slice(0, 40);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function fetchPlugin(options: FetchPluginOptions): Promise<FetchedPlugin> {
  const { registry, name, spec, store } = options;
  const authKey = `${registryConfigKey(registry)}:_authToken`;
  const pacoteOptions: Record<string, unknown> = {
    registry,
    fullMetadata: true,
    preferOnline: true,
    cache: join(store, '.cache'),
    ...(options.token ? { [authKey]: options.token } : {}),
  };
  let packument: PackumentLike;
  try {
    packument = (await pacote.packument(name, pacoteOptions as pacote.Options)) as unknown as PackumentLike;
  } catch (error) {
    throw fetchError(error, name, spec);
  }
  const version = resolveVersion(packument, spec);
  const manifest = packument.versions[version] as FetchedPlugin['manifest'];
  const integrity = String(manifest.dist?.integrity ?? '');
  if (options.integrity && options.integrity !== integrity) {
    throw new MarketplaceError(
      'integrity_mismatch',
      `${name}@${version}: the registry now serves integrity ${integrity}, expected ${options.integrity}`,
      409,
    );
  }
  const dir = join(store, storeFolderFor(integrity));
  const result = { name, version, integrity, dir, manifest };
  if (await exists(dir)) return result;

  await mkdir(store, { recursive: true });
  const temp = join(store, `.tmp-${randomUUID()}`);
  try {
    await pacote
      .extract(`${name}@${version}`, temp, {
        ...pacoteOptions,
        integrity,
        resolved: manifest.dist.tarball,
      } as pacote.Options)
      .catch((error: unknown) => {
        throw fetchError(error, name, version);
      });
    const unpacked = JSON.parse(await readFile(join(temp, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    if (unpacked.name !== name || unpacked.version !== version) {
      throw new MarketplaceError(
        'package_mismatch',
        `${name}@${version}: the tarball's package.json says ${unpacked.name}@${unpacked.version}`,
        502,
      );
    }
    await installDependencies(temp, options, manifest);
    try {
      await rename(temp, dir);
    } catch (error) {
      // Another fetch of the same integrity finished first: its folder is the same content.
      if (!(await exists(dir))) throw error;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return result;
}

/**
 * Installs the package's runtime dependencies without touching the package's own files: npm runs in
 * a side folder whose package.json lists only `dependencies` and `optionalDependencies` (npm would
 * otherwise resolve devDependencies too, even with --omit=dev), then node_modules moves in.
 */
async function installDependencies(
  folder: string,
  options: FetchPluginOptions,
  manifest: FetchedPlugin['manifest'],
): Promise<void> {
  // A hand-made tarball may carry an .npmrc; it must not steer anything later.
  await rm(join(folder, '.npmrc'), { force: true });
  const dependencies = (manifest.dependencies ?? {}) as Record<string, string>;
  const optionalDependencies = (manifest.optionalDependencies ?? {}) as Record<string, string>;
  const bundled = new Set((manifest.bundleDependencies ?? manifest.bundledDependencies ?? []) as string[]);
  const provided = new Set(options.provided ?? []);
  const wanted = Object.fromEntries(
    Object.entries(dependencies).filter(([name]) => !bundled.has(name) && !provided.has(name)),
  );
  const optional = Object.fromEntries(
    Object.entries(optionalDependencies).filter(([name]) => !provided.has(name)),
  );
  if (Object.keys(wanted).length === 0 && Object.keys(optional).length === 0) return;
  const side = `${folder}.deps`;
  await mkdir(side, { recursive: true });
  const userconfig = join(side, '.npmrc-user');
  const lines = [`registry=${options.registry}`];
  if (options.token) lines.push(`${registryConfigKey(options.registry)}:_authToken=${options.token}`);
  try {
    await writeFile(userconfig, `${lines.join('\n')}\n`, { mode: 0o600 });
    await writeFile(
      join(side, 'package.json'),
      JSON.stringify({
        name: 'erp-plugin-dependencies',
        private: true,
        dependencies: wanted,
        optionalDependencies: optional,
      }),
    );
    await run(
      options.npmCommand ?? 'npm',
      [
        'install',
        '--omit=dev',
        // Never any package script: not the dependencies' install hooks, not anything else.
        '--ignore-scripts',
        // Peers (the SDK, other plugins) are the host's business, not this folder's.
        '--legacy-peer-deps',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--registry',
        options.registry,
        '--userconfig',
        userconfig,
        '--cache',
        join(options.store, '.cache'),
      ],
      { cwd: side, env: cleanNpmEnv(), maxBuffer: 16 * 1024 * 1024 },
    );
    await mergeInto(join(side, 'node_modules'), join(folder, 'node_modules'));
  } catch (error) {
    if (error instanceof MarketplaceError) throw error;
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message)
      .trim()
      .split('\n')
      .slice(-5)
      .join(' ');
    throw new MarketplaceError(
      'dependencies_failed',
      `${manifest.name}@${manifest.version}: installing its dependencies failed: ${stderr}`,
      502,
    );
  } finally {
    await rm(side, { recursive: true, force: true });
  }
}

/** Moves installed packages next to bundled ones; a bundled package (already there) wins. */
async function mergeInto(from: string, to: string): Promise<void> {
  if (!(await exists(from))) return;
  if (!(await exists(to))) return rename(from, to);
  for (const entry of await readdir(from)) {
    const target = join(to, entry);
    if (entry.startsWith('@') && (await exists(target))) await mergeInto(join(from, entry), target);
    else if (!(await exists(target))) await rename(join(from, entry), target);
  }
}

function fetchError(error: unknown, name: string, spec: string): MarketplaceError {
  if (error instanceof MarketplaceError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'EINTEGRITY') {
    return new MarketplaceError(
      'integrity_mismatch',
      `${name}@${spec}: the tarball does not match its integrity; refused`,
      502,
    );
  }
  if (code === 'E404') return new MarketplaceError('package_not_found', `${name}: not in the registry`, 404);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return new MarketplaceError(
      'registry_unreachable',
      `${name}@${spec}: the registry cannot be reached (${code})`,
      503,
    );
  }
  return new MarketplaceError('fetch_failed', `${name}@${spec}: ${(error as Error).message}`, 502);
}
