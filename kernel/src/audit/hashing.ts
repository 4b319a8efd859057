// The chain's hash: SHA-256 over a domain tag, the previous entry's hash and the RFC 8785
// canonical JSON of the entry. The tag keeps entry hashes apart from Merkle leaf (0x00) and node
// (0x01) hashes; canonical JSON makes the bytes independent of key order and number formatting,
// so anyone with the entry and any JCS implementation gets the same hash.
import { hash as oneShot } from 'node:crypto';
import canonicalize from 'canonicalize';
import { type AuditEntry, entryBody, type JsonValue } from './entry.js';

export const ENTRY_DOMAIN = Buffer.from('erp-audit-entry/v1\n', 'utf8');
/** The prev_hash of a tenant's first entry. */
export const GENESIS_HASH = Buffer.alloc(32);

export function sha256(...parts: Buffer[]): Buffer {
  return oneShot('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer');
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whether JSON.stringify(v) already is v's RFC 8785 text: plain data whose object keys are in JCS
 * order (UTF-16 code units, what `<` compares), finite numbers, and no surrogates (the library
 * refuses lone ones). JSON.stringify writes strings and numbers exactly as JCS does. Anything
 * else goes to the library. Data parsed from canonical text (an export) usually passes, and the
 * walk plus the native encoder took 0.7 µs against the library's 2.2 µs on a typical `change`.
 */
function stringifyIsCanonical(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return !SURROGATE.test(v);
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v === 'boolean') return true;
  if (typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!stringifyIsCanonical(x, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  let prev: string | undefined;
  for (const k of Object.keys(v)) {
    if ((prev !== undefined && !(prev < k)) || SURROGATE.test(k)) return false;
    if (!stringifyIsCanonical((v as Record<string, unknown>)[k], depth + 1)) return false;
    prev = k;
  }
  return true;
}

export function canonicalJson(value: JsonValue): string {
  if (stringifyIsCanonical(value, 0)) return JSON.stringify(value);
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalised');
  return text;
}

const q = JSON.stringify;

/**
 * RFC 8785 text of entryBody(entry), built directly: its keys are fixed and written here in JCS
 * order, its strings and numbers are serialised by JSON.stringify exactly as JCS specifies, and
 * `change` is the canonical text the recorder stored (or the library's encoding of it). A test
 * checks it against the library on random entries. Verification runs this for every entry, and
 * the general-purpose encoder is several times slower.
 */
export function canonicalEntryJson(
  e: Omit<AuditEntry, 'hash' | 'prevHash'>,
  changeText?: string | null,
): string {
  const change = changeText ?? canonicalJson(e.change ?? null);
  return `{"action":${q(e.action)},"actor":{"id":${q(e.actor.id ?? null)},"type":${q(e.actor.type)},"userId":${q(
    e.actor.userId ?? null,
  )}},"change":${change},"clientIp":${q(e.clientIp ?? null)},"occurredAt":${q(e.occurredAt)},"requestId":${q(
    e.requestId ?? null,
  )},"resource":{"id":${q(e.resource.id ?? null)},"type":${q(e.resource.type)}},"seq":${q(e.seq)},"tenantId":${q(
    e.tenantId,
  )},"v":1}`;
}

// The hash input is assembled in one buffer kept for the thread (verification hashes every entry,
// and two fresh buffers per entry kept the garbage collector busy): tag, prev_hash, then the text.
const HEAD = ENTRY_DOMAIN.length + 32;
let scratch = Buffer.alloc(4096);
ENTRY_DOMAIN.copy(scratch);

/** SHA-256(tag || prev_hash || JCS(entry)); `changeText` is the stored canonical text of `change`. */
export function entryHash(
  prevHash: Buffer,
  entry: Omit<AuditEntry, 'hash' | 'prevHash'>,
  changeText?: string | null,
): Buffer {
  if (prevHash.length !== 32)
    return sha256(ENTRY_DOMAIN, prevHash, Buffer.from(canonicalEntryJson(entry, changeText)));
  const text = canonicalEntryJson(entry, changeText);
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (HEAD + text.length * 3 > scratch.length) {
    scratch = Buffer.alloc(HEAD + text.length * 3);
    ENTRY_DOMAIN.copy(scratch);
  }
  prevHash.copy(scratch, ENTRY_DOMAIN.length);
  const written = scratch.write(text, HEAD, 'utf8');
  return oneShot('sha256', scratch.subarray(0, HEAD + written), 'buffer');
}

/** The library's encoding of the same entry: what canonicalEntryJson is tested against. */
export const referenceEntryJson = (entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string =>
  canonicalJson(entryBody(entry));

export const b64 = (b: Buffer): string => b.toString('base64');

/** The one canonical base64 form of 32 bytes: 42 characters, one carrying 2 bits, then '='. */
const B64_32 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Strict base64 of exactly `bytes` bytes, or null. */
export function fromB64(text: unknown, bytes = 32): Buffer | null {
  if (bytes === 32) return typeof text === 'string' && B64_32.test(text) ? Buffer.from(text, 'base64') : null;
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const buf = Buffer.from(text, 'base64');
  return buf.length === bytes && buf.toString('base64') === text ? buf : null;
}
