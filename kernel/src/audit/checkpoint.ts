// A checkpoint is a signed tree head of one tenant's chain, as a C2SP tlog-checkpoint: origin,
// tree size, base64 Merkle root, then extension lines (time of signing and the chain head hash).
// It is plain text so an auditor can store it, diff it and check it without this code.
import { b64, fromB64 } from './hashing.js';
import { NoteFormatError, type NoteSigner, parseNote, type SignedNote, signNote } from './note.js';

export const ORIGIN_PREFIX = 'erp-audit/';

export interface Checkpoint {
  tenantId: string;
  size: number;
  root: Buffer;
  /** Hash of the entry with seq = size: the chain head this root covers. */
  head: Buffer;
  time: string;
}

export interface ParsedCheckpoint extends Checkpoint {
  note: SignedNote;
  text: string;
}

export function checkpointText(cp: Checkpoint): string {
  return `${ORIGIN_PREFIX}${cp.tenantId}\n${cp.size}\n${b64(cp.root)}\nhead ${b64(cp.head)}\ntime ${cp.time}\n`;
}

export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): string {
  return signNote(checkpointText(cp), signer);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Parses a signed checkpoint; throws NoteFormatError naming what is wrong. Signatures are not checked. */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const note = parseNote(text);
  const lines = note.text.slice(0, -1).split('\n');
  const [origin, size, root, ...ext] = lines;
  if (!origin?.startsWith(ORIGIN_PREFIX) || !UUID.test(origin.slice(ORIGIN_PREFIX.length)))
    throw new NoteFormatError(`checkpoint line 1 must be ${ORIGIN_PREFIX}<tenant uuid>`);
  if (!size || !/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new NoteFormatError('checkpoint line 2 must be the tree size (a decimal integer)');
  const rootBuf = fromB64(root);
  if (!rootBuf) throw new NoteFormatError('checkpoint line 3 must be a base64 SHA-256 root hash');
  const extensions = new Map<string, string>();
  for (const line of ext) {
    const m = /^([a-z]+) (.+)$/.exec(line);
    if (!m) throw new NoteFormatError(`checkpoint extension line ${JSON.stringify(line)} is malformed`);
    extensions.set(m[1]!, m[2]!);
  }
  const head = fromB64(extensions.get('head'));
  if (!head) throw new NoteFormatError('checkpoint needs a "head <base64 hash>" line');
  const time = extensions.get('time') ?? '';
  if (!ISO.test(time)) throw new NoteFormatError('checkpoint needs a "time <ISO 8601 UTC>" line');
  return {
    tenantId: origin.slice(ORIGIN_PREFIX.length),
    size: Number(size),
    root: rootBuf,
    head,
    time,
    note,
    text,
  };
}
