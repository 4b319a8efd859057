// Packs a package folder with `npm pack` itself (same file list as any npm publish), without
// running any of its scripts: building is the caller's step, before this.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MarketplaceError } from '../errors.js';
import { cleanNpmEnv } from '../plugin-store/index.js';

const run = promisify(execFile);

export interface PackedPackage {
  /** The folder's package.json as written (its `erp` field is the plugin manifest). */
  packageJson: Record<string, unknown> & { name: string; version: string };
  tarball: Buffer;
  /** SRI sha512 of the tarball. */
  integrity: string;
}

export function integrityOf(data: Buffer): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

export async function packFolder(dir: string, npmCommand = 'npm'): Promise<PackedPackage> {
  const packageJson = JSON.parse(
    await readFile(join(dir, 'package.json'), 'utf8'),
  ) as PackedPackage['packageJson'];
  const out = await mkdtemp(join(tmpdir(), 'erp-pack-'));
  try {
    const { stdout } = await run(
      npmCommand,
      ['pack', '--json', '--ignore-scripts', '--pack-destination', out],
      {
        cwd: dir,
        env: cleanNpmEnv(),
      },
    ).catch((error: unknown) => {
      throw new MarketplaceError(
        'pack_failed',
        `${dir}: npm pack failed: ${String((error as { stderr?: unknown }).stderr ?? error)}`,
      );
    });
    const [entry] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!entry) throw new MarketplaceError('pack_failed', `${dir}: npm pack produced nothing`);
    const tarball = await readFile(join(out, entry.filename));
    return { packageJson, tarball, integrity: integrityOf(tarball) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
