// The one answer the kernel's trust policy needs about a release's publisher signature.
import {
  type PublisherKeyLookup,
  type PublisherSignature,
  type Release,
  signatureMatches,
} from '@erp/sdk/marketplace';

export type ReleaseSignatureStatus =
  | 'valid'
  | 'unsigned'
  | 'unknown-key'
  | 'expired-key'
  | 'revoked-key'
  | 'bad-signature'
  | 'integrity-mismatch';

export interface ReleaseVerification {
  status: ReleaseSignatureStatus;
  /** Why, in words, for audit entries and refusals. */
  reason: string;
  keyid?: string;
  /** The registry user the key is registered to. */
  publisher?: string;
}

export interface VerifyReleaseInput {
  /** What was actually fetched: integrity computed from the tarball, manifest hash from its manifest. */
  release: Release;
  signature: PublisherSignature | undefined | null;
  keys: PublisherKeyLookup;
  now?: Date;
}

/**
 * Order matters: a missing signature and a tarball other than the one signed are reported before
 * anything about keys; a signature that does not verify is bad whatever its key; revocation is
 * reported before expiry because it is the stronger statement.
 */
export async function verifyRelease({
  release,
  signature,
  keys,
  now = new Date(),
}: VerifyReleaseInput): Promise<ReleaseVerification> {
  const label = `${release.name}@${release.version}`;
  if (!signature || typeof signature.keyid !== 'string' || typeof signature.sig !== 'string') {
    return { status: 'unsigned', reason: `${label} carries no publisher signature` };
  }
  const { keyid } = signature;
  if (signature.integrity !== release.integrity) {
    return {
      status: 'integrity-mismatch',
      reason: `${label}: the publisher signed integrity ${signature.integrity}, the tarball has ${release.integrity}`,
      keyid,
    };
  }
  const key = await keys.get(keyid);
  if (!key)
    return {
      status: 'unknown-key',
      reason: `${label} is signed by key ${keyid}, which is not registered`,
      keyid,
    };
  const publisher = key.owner;
  if (!signatureMatches(release, signature, key.publicKey)) {
    return {
      status: 'bad-signature',
      reason: `${label}: the signature by key ${keyid} does not verify`,
      keyid,
      publisher,
    };
  }
  if (key.revokedAt) {
    const why = key.revokedReason ? ` (${key.revokedReason})` : '';
    return {
      status: 'revoked-key',
      reason: `${label} is signed by key ${keyid}, revoked at ${key.revokedAt}${why}`,
      keyid,
      publisher,
    };
  }
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) {
    return {
      status: 'expired-key',
      reason: `${label} is signed by key ${keyid}, expired at ${key.expiresAt}`,
      keyid,
      publisher,
    };
  }
  return { status: 'valid', reason: `${label} is signed by ${publisher} (key ${keyid})`, keyid, publisher };
}
