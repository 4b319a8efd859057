// Opaque bearer secrets (refresh tokens, API keys) that name their own tenant and row, so the
// server finds the row inside that tenant's RLS scope without any cross-tenant lookup.
// Shape: <prefix><base64url(tenant uuid ‖ row uuid)>.<base64url(32 random bytes)>
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../tenancy/index.js';

export interface OpaqueToken {
  tenantId: string;
  id: string;
  secret: string;
}

const uuidToBytes = (u: string) => Buffer.from(u.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) =>
  b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function encodeToken(prefix: string, t: OpaqueToken): string {
  const ids = Buffer.concat([uuidToBytes(t.tenantId), uuidToBytes(t.id)]).toString('base64url');
  return `${prefix}${ids}.${t.secret}`;
}

export function decodeToken(prefix: string, token: string): OpaqueToken | null {
  if (!token.startsWith(prefix) || token.length > 200) return null;
  const [ids, secret] = token.slice(prefix.length).split('.');
  if (!ids || !secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const raw = Buffer.from(ids, 'base64url');
  if (raw.length !== 32) return null;
  const tenantId = bytesToUuid(raw.subarray(0, 16));
  const id = bytesToUuid(raw.subarray(16));
  return isUuid(tenantId) && isUuid(id) ? { tenantId, id, secret } : null;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const h = hashSecret(secret);
  return h.length === storedHash.length && timingSafeEqual(h, storedHash);
}
