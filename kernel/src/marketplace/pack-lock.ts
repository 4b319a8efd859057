// Compiling and packing a package folder rewrites its dist/ (the SDK's prepack removes it first), so
// two processes packing the same folder at once can pack a half-built package: the seeding of one
// `erp start` and a test packing the SDK, for instance. Whoever packs a workspace package takes
// this lock on its folder (proper-lockfile, kept in the temp folder, not in the repository).
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';

export async function withPackLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const real = realpathSync(dir);
  const id = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const release = await lock(real, {
    lockfilePath: join(tmpdir(), `erp-pack-${id}.lock`),
    // A holder may block its event loop for a whole pack (spawnSync), so its lock goes stale late.
    stale: 120_000,
    retries: { retries: 400, factor: 1, minTimeout: 500, maxTimeout: 500 },
    // Only a courtesy between packers: a lock taken over after a crash is no reason to crash.
    onCompromised: () => {},
  });
  try {
    return await work();
  } finally {
    await release().catch(() => {});
  }
}
