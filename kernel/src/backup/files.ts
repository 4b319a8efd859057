// The files beside the database that a restore needs: everything in ERP_DATA_DIR (secrets and
// master keys, the audit signing key, the registry's storage, the plugin store, the publisher key)
// except the embedded database's own folder and outgoing mail; and the audit checkpoints when
// ERP_AUDIT_CHECKPOINT_DIR puts them elsewhere.
import { cp, mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';

const SKIPPED = new Set(['pg', 'mail']);

export async function copyDataDir(dataDir: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true, mode: 0o700 });
  await cp(dataDir, dest, {
    recursive: true,
    errorOnExist: true,
    filter: (src) => !SKIPPED.has(relative(dataDir, src).split('/')[0] ?? ''),
  });
}

/** True when the checkpoint folder is outside the data folder (and so is copied apart). */
export function outside(dataDir: string, dir: string): boolean {
  const rel = relative(resolve(dataDir), resolve(dir));
  return rel.startsWith('..') || isAbsolute(rel);
}

export const BACKUP_PARTS = { database: 'database', data: 'data', checkpoints: 'checkpoints' } as const;
export const partOf = (root: string, part: keyof typeof BACKUP_PARTS) => join(root, BACKUP_PARTS[part]);
