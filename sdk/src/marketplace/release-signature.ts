// The publisher's signature over one release: name, version, tarball integrity (SRI sha512) and the
// hash of the plugin manifest, as RFC 8785 canonical JSON so every implementation signs the same bytes.
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { MarketplaceError } from './errors.js';
import { privateKeyFrom, publicKeyFromBase64, publisherKeyId } from './publisher-key.js';

export const RELEASE_PAYLOAD_TYPE = 'erp-plugin-release/v1';

export interface Release {
  name: string;
  version: string;
  /** SRI sha512 of the tarball, as in the packument's `dist.integrity`. */
  integrity: string;
  /** `manifestHash(pluginManifest)`. */
  manifestHash: string;
}

/** Stored in the packument version's `dist.publisherSignature`; carries what it claims to cover. */
export interface PublisherSignature {
  keyid: string;
  sig: string;
  integrity: string;
  manifestHash: string;
}

export function releasePayload(release: Release): Buffer {
  const text = canonicalize({
    type: RELEASE_PAYLOAD_TYPE,
    name: release.name,
    version: release.version,
    integrity: release.integrity,
    manifestHash: release.manifestHash,
  });
  if (text === undefined) throw new MarketplaceError('release_invalid', 'release: cannot be canonicalized');
  return Buffer.from(text, 'utf8');
}

/** `sha256-<base64>` of the RFC 8785 form of a plugin manifest (key order and spacing do not matter). */
export function manifestHash(manifest: unknown): string {
  const text = canonicalize(manifest);
  if (text === undefined) throw new MarketplaceError('manifest_invalid', 'manifest: cannot be canonicalized');
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function checkRelease(release: Release): void {
  for (const field of ['name', 'version', 'integrity', 'manifestHash'] as const) {
    if (typeof release[field] !== 'string' || release[field] === '') {
      throw new MarketplaceError('release_invalid', `${field}: a non-empty string is required`);
    }
  }
  if (!release.integrity.startsWith('sha512-')) {
    throw new MarketplaceError('release_invalid', 'integrity: an SRI sha512 value is required');
  }
}

export function signRelease(release: Release, privateKey: string | KeyObject): PublisherSignature {
  checkRelease(release);
  const key = privateKeyFrom(privateKey);
  return {
    keyid: publisherKeyId(createPublicKey(key)),
    sig: sign(null, releasePayload(release), key).toString('base64'),
    integrity: release.integrity,
    manifestHash: release.manifestHash,
  };
}

/** Checks the signature bytes only; key status is judged by `verifyRelease`. */
export function signatureMatches(
  release: Release,
  signature: PublisherSignature,
  publicKey: string,
): boolean {
  try {
    return verify(
      null,
      releasePayload(release),
      publicKeyFromBase64(publicKey),
      Buffer.from(signature.sig, 'base64'),
    );
  } catch {
    return false;
  }
}
