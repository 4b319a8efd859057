// manifest.json: what a backup holds and how to check it was not damaged — the kernel and server
// versions it came from, the database roles its grants name (a new cluster lacks them), and a
// SHA-256 and size for every file. Written last: a folder without it is an unfinished backup.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BackupError } from './errors.js';

export const FORMAT = 'erp-backup/1';

export interface Manifest {
  format: typeof FORMAT;
  createdAt: string;
  kernelVersion: string;
  serverVersion: string;
  /** Roles the dump's grants name, other than the owner, and their memberships (see roles.ts). */
  roles: string[];
  memberships: Array<{ role: string; member: string }>;
  tenants: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out.sort();
}

export async function fileDigests(root: string): Promise<Manifest['files']> {
  const files: Manifest['files'] = {};
  for (const file of await listFiles(root)) {
    const rel = relative(root, file);
    if (rel === 'manifest.json') continue;
    files[rel] = { bytes: (await stat(file)).size, sha256: await sha256(file) };
  }
  return files;
}

export async function writeManifest(root: string, m: Manifest): Promise<void> {
  await writeFile(join(root, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
}

/** The manifest, after checking every file it lists is there, whole and unchanged (and no other). */
export async function readVerifiedManifest(root: string): Promise<Manifest> {
  let m: Manifest;
  try {
    m = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${root} is not a finished backup: manifest.json is missing or unreadable`);
  }
  if (m.format !== FORMAT)
    throw new BackupError(`${root}: unknown backup format ${JSON.stringify(m.format)}`);
  const actual = await fileDigests(root);
  for (const [rel, want] of Object.entries(m.files)) {
    const got = actual[rel];
    if (!got) throw new BackupError(`${root}: ${rel} is missing`);
    if (got.sha256 !== want.sha256 || got.bytes !== want.bytes)
      throw new BackupError(`${root}: ${rel} differs from the manifest (damaged or changed)`);
  }
  const extra = Object.keys(actual).filter((rel) => !m.files[rel]);
  if (extra.length) throw new BackupError(`${root}: ${extra[0]} is not in the manifest`);
  return m;
}
