// Packs a package folder with `npm pack` (same file list as any npm publish) or `pnpm pack` (which
// also rewrites workspace: ranges and applies publishConfig, as `pnpm publish` would), without
// running any of its scripts: building is the caller's step, before this. The package.json the
// release describes is read back from the tarball, so the packument says what the tarball says.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extract } from 'tar';
import { MarketplaceError } from './errors.js';
import { cleanNpmEnv } from './npm-env.js';

const run = promisify(execFile);

export interface PackedPackage {
  /** The package.json inside the tarball (its `erp` field is the plugin manifest). */
  packageJson: Record<string, unknown> & { name: string; version: string };
  tarball: Buffer;
  /** SRI sha512 of the tarball. */
  integrity: string;
}

export interface PackOptions {
  /** The packer and its leading arguments: `'npm'` (the default), `['pnpm']`, `['npx', '-y', 'pnpm@10']`. */
  packer?: string | string[];
  /** Aborts the packer (e.g. when the process shuts down). */
  signal?: AbortSignal;
}

export function integrityOf(data: Buffer): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

export async function packFolder(dir: string, options: PackOptions | string = {}): Promise<PackedPackage> {
  const { packer = 'npm', signal } = typeof options === 'string' ? { packer: options } : options;
  const [command, ...leading] = typeof packer === 'string' ? [packer] : packer;
  if (!command) throw new MarketplaceError('pack_failed', `${dir}: no packer given`);
  const out = await mkdtemp(join(tmpdir(), 'erp-pack-'));
  try {
    // ignore-scripts as configuration, not a flag: npm and pnpm both read it (pnpm pack has no flag).
    await run(command, [...leading, 'pack', '--pack-destination', out], {
      cwd: dir,
      env: cleanNpmEnv({ npm_config_ignore_scripts: 'true' }),
      ...(signal ? { signal } : {}),
    }).catch((error: unknown) => {
      throw new MarketplaceError(
        'pack_failed',
        `${dir}: ${command} pack failed: ${String((error as { stderr?: unknown }).stderr || error)}`,
      );
    });
    const file = (await readdir(out)).find((f) => f.endsWith('.tgz'));
    if (!file) throw new MarketplaceError('pack_failed', `${dir}: ${command} pack produced nothing`);
    return await readPacked(join(out, file));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * A tarball packed earlier (an image's build stage packs the first-party packages; its registry
 * publishes them at run time), read as `packFolder` returns it.
 */
export async function readPacked(file: string): Promise<PackedPackage> {
  const tarball = await readFile(file).catch((error: unknown) => {
    throw new MarketplaceError('pack_failed', `${file}: ${(error as Error).message}`);
  });
  const out = await mkdtemp(join(tmpdir(), 'erp-packed-'));
  try {
    await extract({ file, cwd: out, filter: (path) => path === 'package/package.json' });
    const packageJson = JSON.parse(
      await readFile(join(out, 'package', 'package.json'), 'utf8').catch(() => {
        throw new MarketplaceError('pack_failed', `${file}: no package/package.json in the tarball`);
      }),
    ) as PackedPackage['packageJson'];
    return { packageJson, tarball, integrity: integrityOf(tarball) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
