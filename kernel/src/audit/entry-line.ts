// Entries as lines of JSON: the export's NDJSON entry lines, and rows read out of the database
// as JSON arrays of their columns (with `change` as its stored text: the verifier hashes what is
// stored, byte for byte). Parsing a run of lines is pure and synchronous, so it
// runs where the run is checked: on a worker thread while the next run is being read.
import { ACTOR_TYPES, type AuditEntry, type SealedEntry } from './entry.js';
import { fromB64 } from './hashing.js';

export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

/** Where runs come from: an export file, or rows of erp.audit_entries (see STORED_ENTRY_LINE). */
export type LineSource = 'export' | 'stored';

const str = (v: unknown) => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

function toSealed(v: Record<string, unknown>, where: string): SealedEntry {
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
  if (!ok) throw new ExportFormatError(`${where}: entry fields are missing or of the wrong type`);
  if (!prevHash || !hash) throw new ExportFormatError(`${where}: prevHash and hash must be base64 SHA-256`);
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

/**
 * A stored row as STORED_ENTRY_LINE writes it: a JSON array of its columns as text, in this
 * order. The database writes it; it is checked all the same (a corrupt row names itself).
 */
const STORED_COLUMNS = 14;

function storedToSealed(text: string, where: string): SealedEntry {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ExportFormatError(`${where}: not a JSON array`);
  }
  const c = v as Array<string | null>;
  const prevHash = Array.isArray(c) ? fromB64(c[12]) : null;
  const hash = Array.isArray(c) ? fromB64(c[13]) : null;
  const ok =
    Array.isArray(c) &&
    c.length === STORED_COLUMNS &&
    str(c[0]) &&
    str(c[1]) &&
    str(c[2]) &&
    (ACTOR_TYPES as readonly unknown[]).includes(c[3]) &&
    c.every(strOrNull);
  if (!ok || !prevHash || !hash) throw new ExportFormatError(`${where}: not a stored audit entry`);
  return {
    tenantId: c[0]!,
    seq: Number(c[1]),
    occurredAt: c[2]!,
    actor: { type: c[3] as AuditEntry['actor']['type'], id: c[4]!, userId: c[5]! },
    action: c[6]!,
    resource: { type: c[7]!, id: c[8]! },
    requestId: c[9]!,
    clientIp: c[10]!,
    change: null,
    changeText: c[11]!,
    prevHash,
    hash,
  };
}

/** One line as a JSON object, or the format error naming it. */
export function parseObjectLine(text: string, where: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  } catch {
    /* reported below */
  }
  throw new ExportFormatError(`${where}: not a JSON object`);
}

/**
 * The entries of a run of lines (blank lines are skipped, as in an export). `firstLine` numbers
 * the run's first line for the messages: an export's line number, or a stored row's position.
 */
export function parseEntryLines(text: string, firstLine: number, source: LineSource): SealedEntry[] {
  const lines = text.split('\n');
  const entries: SealedEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && !line.trim())) continue;
    if (source === 'stored') {
      entries.push(storedToSealed(line, `stored entry ${firstLine + i}`));
      continue;
    }
    const where = `line ${firstLine + i}`;
    const v = parseObjectLine(line, where);
    if (v.type !== 'entry')
      throw new ExportFormatError(`${where}: expected an entry (checkpoints come before entries)`);
    entries.push(toSealed(v, where));
  }
  return entries;
}

/**
 * A row of erp.audit_entries as one line that parseEntryLines reads ('stored'): the database
 * writes the row's columns as a JSON array of text (the cheapest of the JSON builders measured,
 * ~140k rows/s against ~70k for an object), so the driver decodes one string per row instead of
 * fourteen typed columns. occurredAt is formatted as JavaScript's toISOString (milliseconds,
 * truncated like the driver's), `change` is its stored text, the hashes are base64.
 */
export const STORED_ENTRY_LINE = `array_to_json(array[tenant_id::text, seq::text,
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_type, actor_id,
  actor_user_id, action, resource_type, resource_id, request_id, client_ip, change::text,
  encode(prev_hash, 'base64'), encode(hash, 'base64')])::text`;
