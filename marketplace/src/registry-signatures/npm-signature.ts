// npm's registry-signature convention, exactly as `npm audit signatures` checks it:
// ECDSA P-256 / SHA-256 over `${name}@${version}:${integrity}`, DER-encoded, base64.
import { createPublicKey, sign, verify } from 'node:crypto';
import type { RegistryKey } from './registry-key.js';

export interface NpmSignature {
  keyid: string;
  sig: string;
}

/** What `GET /-/npm/v1/keys` answers. */
export interface NpmKeysDocument {
  keys: Array<{ keyid: string; keytype: string; scheme: string; key: string; expires: string | null }>;
}

function signedText(name: string, version: string, integrity: string): Buffer {
  return Buffer.from(`${name}@${version}:${integrity}`, 'utf8');
}

export function signVersion(
  key: RegistryKey,
  name: string,
  version: string,
  integrity: string,
): NpmSignature {
  return {
    keyid: key.keyid,
    sig: sign('sha256', signedText(name, version, integrity), key.privateKey).toString('base64'),
  };
}

export function keysDocument(key: RegistryKey): NpmKeysDocument {
  return {
    keys: [
      {
        keyid: key.keyid,
        keytype: 'ecdsa-sha2-nistp256',
        scheme: 'ecdsa-sha2-nistp256',
        key: key.publicKeyBase64,
        expires: null,
      },
    ],
  };
}

/**
 * Checks a version's `dist.signatures` against a keys document the way npm does: some signature
 * must name a listed key and verify. For the kernel, which checks what it fetched before installing.
 */
export function verifyVersionSignature(
  keys: NpmKeysDocument,
  name: string,
  version: string,
  integrity: string,
  signatures: readonly NpmSignature[] | undefined,
): boolean {
  for (const s of signatures ?? []) {
    const k = keys.keys.find((candidate) => candidate.keyid === s.keyid);
    if (!k) continue;
    const publicKey = createPublicKey({ key: Buffer.from(k.key, 'base64'), format: 'der', type: 'spki' });
    if (verify('sha256', signedText(name, version, integrity), publicKey, Buffer.from(s.sig, 'base64')))
      return true;
  }
  return false;
}
