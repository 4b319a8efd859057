// Where checkpoints go besides the database, so that rewriting the whole audit table (and its
// checkpoints table) is still detected: a verifier compares the chain with the latest checkpoint
// found here. Each checkpoint comes with the entry hashes it adds to the previous one, so a
// verifier can also name the first rewritten entry, not only say that something changed.
// The default is a directory (mount it from other storage, or sync it off the machine); other
// sinks (object storage, a witness) implement the same interface.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromB64 } from './hashing.js';

export interface HashBundle {
  /** seq of the first hash. */
  fromSeq: number;
  hashes: Buffer[];
}

export interface SinkContents {
  /** Signed checkpoint notes, oldest first. */
  notes: string[];
  bundles: HashBundle[];
}

export interface CheckpointSink {
  readonly description: string;
  put(tenantId: string, size: number, note: string, bundle: HashBundle): Promise<void>;
  /** Size of the newest stored checkpoint, 0 when there is none. */
  latestSize(tenantId: string): Promise<number>;
  read(tenantId: string): Promise<SinkContents>;
}

const pad = (n: number) => String(n).padStart(12, '0');

async function atomicWrite(file: string, data: string): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  await writeFile(tmp, data, { mode: 0o644 });
  await rename(tmp, file);
}

async function sizesIn(dir: string): Promise<number[]> {
  try {
    return (await readdir(dir))
      .filter((f) => /^\d{12}\.txt$/.test(f))
      .map((f) => Number(f.slice(0, 12)))
      .sort((a, b) => a - b);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}

/** <dir>/<tenant>/checkpoints/<size>.txt, <dir>/<tenant>/hashes/<size>.txt and <dir>/<tenant>/latest.txt. */
export class DirectorySink implements CheckpointSink {
  constructor(readonly dir: string) {}

  get description(): string {
    return `directory ${this.dir}`;
  }

  async put(tenantId: string, size: number, note: string, bundle: HashBundle): Promise<void> {
    const base = join(this.dir, tenantId);
    await mkdir(join(base, 'checkpoints'), { recursive: true });
    await mkdir(join(base, 'hashes'), { recursive: true });
    const lines = bundle.hashes.map((h, i) => `${bundle.fromSeq + i} ${h.toString('base64')}\n`).join('');
    // Hashes first: a checkpoint that is present always has its bundle.
    await atomicWrite(join(base, 'hashes', `${pad(size)}.txt`), lines);
    await atomicWrite(join(base, 'checkpoints', `${pad(size)}.txt`), note);
    const newest = (await sizesIn(join(base, 'checkpoints'))).at(-1);
    if (newest === size) await atomicWrite(join(base, 'latest.txt'), note);
  }

  async latestSize(tenantId: string): Promise<number> {
    return (await sizesIn(join(this.dir, tenantId, 'checkpoints'))).at(-1) ?? 0;
  }

  async read(tenantId: string): Promise<SinkContents> {
    const base = join(this.dir, tenantId);
    const notes: string[] = [];
    for (const size of await sizesIn(join(base, 'checkpoints')))
      notes.push(await readFile(join(base, 'checkpoints', `${pad(size)}.txt`), 'utf8'));
    const bundles: HashBundle[] = [];
    for (const size of await sizesIn(join(base, 'hashes'))) {
      const text = await readFile(join(base, 'hashes', `${pad(size)}.txt`), 'utf8');
      const bundle = parseBundle(text);
      if (bundle) bundles.push(bundle);
    }
    return { notes, bundles };
  }
}

/** "<seq> <base64>" lines with consecutive seqs; null when the file is damaged (then it is ignored). */
export function parseBundle(text: string): HashBundle | null {
  const lines = text.split('\n').filter(Boolean);
  const hashes: Buffer[] = [];
  let fromSeq = 0;
  for (const [i, line] of lines.entries()) {
    const [seqText, hashText] = line.split(' ');
    const seq = Number(seqText);
    const hash = fromB64(hashText);
    if (!Number.isSafeInteger(seq) || !hash) return null;
    if (i === 0) fromSeq = seq;
    else if (seq !== fromSeq + i) return null;
    hashes.push(hash);
  }
  return hashes.length ? { fromSeq, hashes } : null;
}
