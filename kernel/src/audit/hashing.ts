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

export function canonicalJson(value: JsonValue): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalised');
  return text;
}

export function entryHash(prevHash: Buffer, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): Buffer {
  return sha256(
    Buffer.concat([ENTRY_DOMAIN, prevHash, Buffer.from(canonicalJson(entryBody(entry)), 'utf8')]),
  );
}

export const b64 = (b: Buffer): string => b.toString('base64');

/** Strict base64 of exactly `bytes` bytes, or null. */
export function fromB64(text: unknown, bytes = 32): Buffer | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const buf = Buffer.from(text, 'base64');
  return buf.length === bytes && buf.toString('base64') === text ? buf : null;
}
