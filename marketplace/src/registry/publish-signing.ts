// Runs on every publish before verdaccio stores it: the registry computes the tarball's integrity
// from the bytes it received, checks the publisher signature (if any) against the key register, and
// signs `name@version:integrity` with its own key. Signing here, once, means a stored signature never
// changes, reads cost nothing, and the registry only ever vouches for bytes it has hashed itself.
import { createHash } from 'node:crypto';
import { MarketplaceError } from '../errors.js';
import type { PublisherKeyStore } from '../publisher-signatures/index.js';
import { type PublisherSignature, verifyRelease } from '../publisher-signatures/index.js';
import { type RegistryKey, signVersion } from '../registry-signatures/index.js';

interface PublishBody {
  name?: unknown;
  versions?: Record<string, { name?: unknown; version?: unknown; dist?: Record<string, unknown> }>;
  _attachments?: Record<string, { data?: unknown }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the body uploads a tarball (a publish), false for metadata changes (deprecate, tags). */
export function isTarballPublish(body: unknown): body is PublishBody {
  return isRecord(body) && isRecord(body._attachments) && Object.keys(body._attachments).length > 0;
}

export async function signPublish(
  body: PublishBody,
  user: string,
  registryKey: RegistryKey,
  publisherKeys: PublisherKeyStore,
): Promise<void> {
  const name = typeof body.name === 'string' ? body.name : undefined;
  const versions = isRecord(body.versions) ? Object.entries(body.versions) : [];
  const attachments = Object.values(body._attachments ?? {});
  if (!name || versions.length !== 1 || attachments.length !== 1) {
    throw new MarketplaceError(
      'publish_invalid',
      'publish: exactly one version and one tarball are required',
    );
  }
  const [version, manifest] = versions[0] as [string, NonNullable<PublishBody['versions']>[string]];
  const data = attachments[0]?.data;
  if (typeof data !== 'string')
    throw new MarketplaceError('publish_invalid', '_attachments: tarball data is missing');
  const integrity = `sha512-${createHash('sha512').update(Buffer.from(data, 'base64')).digest('base64')}`;
  const dist = isRecord(manifest.dist) ? manifest.dist : {};
  manifest.dist = dist;
  if (dist.integrity !== undefined && dist.integrity !== integrity) {
    throw new MarketplaceError(
      'integrity_mismatch',
      `${name}@${version}: dist.integrity ${String(dist.integrity)} does not match the uploaded tarball (${integrity})`,
    );
  }
  dist.integrity = integrity;

  if (dist.publisherSignature !== undefined) {
    const signature = dist.publisherSignature as PublisherSignature;
    const manifestHash =
      isRecord(signature) && typeof signature.manifestHash === 'string' ? signature.manifestHash : '';
    const verdict = await verifyRelease({
      release: { name, version, integrity, manifestHash },
      signature,
      keys: publisherKeys,
    });
    if (verdict.status !== 'valid') {
      throw new MarketplaceError(`publisher_signature_${verdict.status.replace(/-/g, '_')}`, verdict.reason);
    }
    if (verdict.publisher !== user) {
      throw new MarketplaceError(
        'publisher_key_not_owner',
        `${name}@${version}: key ${verdict.keyid} is registered to another publisher`,
        403,
      );
    }
  }
  // Whatever the client sent here is replaced: only the registry signs for the registry.
  dist.signatures = [signVersion(registryKey, name, version, integrity)];
}
