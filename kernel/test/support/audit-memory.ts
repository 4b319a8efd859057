// An audit chain built in memory (no database): entries, signed checkpoints and the verifier fed
// one entry at a time, the reference every other way of verifying must agree with.
import { generateKeyPairSync } from 'node:crypto';
import {
  ChainVerifier,
  entryHash,
  GENESIS_HASH,
  leafHash,
  MerkleFrontier,
  type SealedEntry,
  signCheckpoint,
  signerOf,
} from '../../src/audit/index.js';

export const TENANT = '6f1f7a9e-3d2b-4c55-9a51-2b7a0e1c9d11';

export function chain(n: number): SealedEntry[] {
  const out: SealedEntry[] = [];
  let prev: Buffer = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const body = {
      tenantId: TENANT,
      seq,
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
      actor: { type: 'user' as const, id: `u-${seq % 3}`, userId: null },
      action: 'iam.user.updated',
      resource: { type: 'user', id: `r-${seq}` },
      requestId: `req-${seq}`,
      clientIp: '127.0.0.1',
      change: { before: { n: seq - 1 }, after: { n: seq, note: 'caf\u00e9' } },
    };
    const hash = entryHash(prev, body);
    out.push({ ...body, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const { privateKey } = generateKeyPairSync('ed25519');
export const signer = signerOf('erp-audit-test', privateKey);

export function checkpointOf(entries: SealedEntry[], size: number, s = signer): string {
  const f = new MerkleFrontier();
  for (const e of entries.slice(0, size)) f.append(leafHash(e.hash));
  return signCheckpoint(
    {
      tenantId: TENANT,
      size,
      root: f.root(),
      head: entries[size - 1]!.hash,
      time: '2025-01-01T00:00:00.000Z',
    },
    s,
  );
}

export function verify(entries: SealedEntry[], checkpoints: string[], external?: string[]) {
  const v = new ChainVerifier({
    tenantId: TENANT,
    trusted: [signer],
    checkpoints,
    external: external ? { source: 'test', notes: external } : undefined,
  });
  for (const e of entries) v.push(e);
  return v.finish();
}
