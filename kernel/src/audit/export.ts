// The export: NDJSON an auditor can keep and verify with no database. One header line, then every
// stored checkpoint (signed notes), then every entry in seq order with its prev_hash and hash.
import { stat } from 'node:fs/promises';
import type { SealedEntry } from './entry.js';
import { ExportFormatError, parseEntryLines, parseObjectLine } from './entry-line.js';
import { b64 } from './hashing.js';
import { LineReader, type LineRun } from './line-reader.js';

export { ExportFormatError } from './entry-line.js';

export const EXPORT_FORMAT = 'erp-audit-export';

export interface ExportHeader {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  version: 1;
  tenantId: string;
  exportedAt: string;
  /** Informational: the keys the exporting kernel trusts. A verifier trusts keys it is given. */
  publicKeys: string[];
}

export const headerLine = (h: Omit<ExportHeader, 'type' | 'format' | 'version'>): string =>
  JSON.stringify({ type: 'header', format: EXPORT_FORMAT, version: 1, ...h });
export const checkpointLine = (size: number, note: string): string =>
  JSON.stringify({ type: 'checkpoint', size, note });
export const entryLine = ({ changeText: _, ...e }: SealedEntry): string =>
  JSON.stringify({ type: 'entry', ...e, prevHash: b64(e.prevHash), hash: b64(e.hash) });

/** Fewer bytes than any entry line has (two hashes, ids, a time): size / this bounds the entries. */
const MIN_ENTRY_LINE_BYTES = 250;

export interface ExportReader {
  header: ExportHeader;
  /** At least as many as the entries the file holds (estimated from its size, before reading it). */
  entriesAtMost: number;
  checkpoints: string[];
  /** The entries, streamed; call after header and checkpoints were read. */
  entries(): AsyncGenerator<SealedEntry>;
  /** The entry lines in runs of `size` as raw bytes, for checkRun on worker threads (see parallel.ts). */
  runs(size: number): AsyncGenerator<LineRun>;
}

const str = (v: unknown) => typeof v === 'string';

/** Opens an export: reads the header and the checkpoints, then streams the entries. */
export async function openExport(file: string): Promise<ExportReader> {
  const reader = new LineReader(file);
  const next = async (): Promise<{ v: Record<string, unknown>; line: number } | null> => {
    const got = await reader.peek();
    return got ? { v: parseObjectLine(got.text, `line ${got.line}`), line: got.line } : null;
  };
  // The header and the checkpoints; the file is closed if they are not what an export starts with.
  const opening = async () => {
    const h = (await next())?.v;
    if (h?.type !== 'header' || h.format !== EXPORT_FORMAT || h.version !== 1 || !str(h.tenantId))
      throw new ExportFormatError(`line 1: not an ${EXPORT_FORMAT} version 1 header`);
    await reader.skip();
    const checkpoints: string[] = [];
    for (let pending = await next(); pending?.v.type === 'checkpoint'; pending = await next()) {
      if (!str(pending.v.note))
        throw new ExportFormatError(`line ${pending.line}: checkpoint without a note`);
      checkpoints.push(pending.v.note as string);
      await reader.skip();
    }
    return { header: h as unknown as ExportHeader, checkpoints, size: (await stat(file)).size };
  };
  let header: ExportHeader;
  let checkpoints: string[];
  let size: number;
  try {
    ({ header, checkpoints, size } = await opening());
  } catch (err) {
    await reader.close();
    if ((err as { code?: string }).code === 'ENOENT') throw new ExportFormatError(`${file}: no such file`);
    throw err;
  }
  async function* runs(count: number): AsyncGenerator<LineRun> {
    try {
      for (let run = await reader.run(count); run; run = await reader.run(count)) yield run;
    } finally {
      await reader.close();
    }
  }
  return {
    header,
    entriesAtMost: Math.ceil(size / MIN_ENTRY_LINE_BYTES),
    checkpoints,
    runs,
    async *entries() {
      for await (const run of runs(1024))
        yield* parseEntryLines(run.bytes.toString('utf8'), run.firstLine, 'export');
    },
  };
}
