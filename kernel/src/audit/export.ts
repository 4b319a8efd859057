// The export: NDJSON an auditor can keep and verify with no database. One header line, then every
// stored checkpoint (signed notes), then every entry in seq order with its prev_hash and hash.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ACTOR_TYPES, type AuditEntry } from './entry.js';
import { b64, fromB64 } from './hashing.js';
import type { SealedEntry } from './verifier.js';

export const EXPORT_FORMAT = 'erp-audit-export';

export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

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

const str = (v: unknown) => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

function toSealed(v: Record<string, unknown>, line: number): SealedEntry {
  const e = v as unknown as AuditEntry;
  const actor = e.actor as AuditEntry['actor'] | undefined;
  const resource = e.resource as AuditEntry['resource'] | undefined;
  const prevHash = fromB64(e.prevHash);
  const hash = fromB64(e.hash);
  const ok =
    Number.isSafeInteger(e.seq) &&
    str(e.tenantId) &&
    str(e.occurredAt) &&
    typeof actor === 'object' &&
    actor !== null &&
    ACTOR_TYPES.includes(actor.type) &&
    strOrNull(actor.id) &&
    strOrNull(actor.userId) &&
    str(e.action) &&
    typeof resource === 'object' &&
    resource !== null &&
    str(resource.type) &&
    strOrNull(resource.id) &&
    strOrNull(e.requestId) &&
    strOrNull(e.clientIp) &&
    'change' in e;
  if (!ok) throw new ExportFormatError(`line ${line}: entry fields are missing or of the wrong type`);
  if (!prevHash || !hash)
    throw new ExportFormatError(`line ${line}: prevHash and hash must be base64 SHA-256`);
  return {
    tenantId: e.tenantId,
    seq: e.seq,
    occurredAt: e.occurredAt,
    actor: { type: actor.type, id: actor.id, userId: actor.userId },
    action: e.action,
    resource: { type: resource.type, id: resource.id },
    requestId: e.requestId,
    clientIp: e.clientIp,
    change: e.change,
    prevHash,
    hash,
  };
}

export interface ExportReader {
  header: ExportHeader;
  checkpoints: string[];
  /** The entries, streamed; call after header and checkpoints were read. */
  entries(): AsyncGenerator<SealedEntry>;
}

/** Opens an export: reads the header and the checkpoints, then streams the entries. */
export async function openExport(file: string): Promise<ExportReader> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const it = lines[Symbol.asyncIterator]();
  let n = 0;
  const next = async (): Promise<Record<string, unknown> | null> => {
    for (;;) {
      const r = await it.next();
      if (r.done) return null;
      n += 1;
      if (!r.value.trim()) continue;
      try {
        const v = JSON.parse(r.value);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
        return v;
      } catch {
        throw new ExportFormatError(`line ${n}: not a JSON object`);
      }
    }
  };
  let first: Record<string, unknown> | null;
  try {
    first = await next();
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new ExportFormatError(`${file}: no such file`);
    throw err;
  }
  if (
    first?.type !== 'header' ||
    first.format !== EXPORT_FORMAT ||
    first.version !== 1 ||
    !str(first.tenantId)
  )
    throw new ExportFormatError(`line 1: not an ${EXPORT_FORMAT} version 1 header`);
  const header = first as unknown as ExportHeader;
  const checkpoints: string[] = [];
  let pending = await next();
  while (pending?.type === 'checkpoint') {
    if (!str(pending.note)) throw new ExportFormatError(`line ${n}: checkpoint without a note`);
    checkpoints.push(pending.note as string);
    pending = await next();
  }
  return {
    header,
    checkpoints,
    async *entries() {
      for (let v = pending; v; v = await next()) {
        if (v.type !== 'entry')
          throw new ExportFormatError(`line ${n}: expected an entry (checkpoints come before entries)`);
        yield toSealed(v, n);
      }
    },
  };
}
