// Publishes one packed release with the publisher's signature in the publish document itself
// (`versions[v].dist.publisherSignature`): the npm client has no place for it, so this sends the
// same PUT `npm publish` sends, plus that one field. The registry checks it and countersigns.

import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import { MarketplaceError } from './errors.js';
import type { PackedPackage } from './pack.js';
import { manifestHash, type PublisherSignature, signRelease } from './release-signature.js';

export interface PublishReleaseOptions {
  registry: string;
  token: string;
  packed: PackedPackage;
  /** The publisher's Ed25519 private key (PEM or KeyObject); without it the release is unsigned. */
  privateKey?: string | KeyObject;
  /** A signature already made with `signRelease` over this release (instead of `privateKey`). */
  signature?: PublisherSignature;
  tag?: string;
}

export interface PublishedRelease {
  name: string;
  version: string;
  integrity: string;
  signature?: PublisherSignature;
}

/** The plugin manifest a release signs: the `erp` field of its package.json. */
export function pluginManifestHash(packageJson: Record<string, unknown>): string {
  return manifestHash(packageJson.erp ?? {});
}

export async function publishRelease(options: PublishReleaseOptions): Promise<PublishedRelease> {
  const { packed, registry, token, tag = 'latest' } = options;
  const { name, version } = packed.packageJson;
  const integrity = packed.integrity;
  const signature = options.signature
    ? options.signature
    : options.privateKey
      ? signRelease(
          { name, version, integrity, manifestHash: pluginManifestHash(packed.packageJson) },
          options.privateKey,
        )
      : undefined;
  const file = `${name}-${version}.tgz`;
  const escaped = name.replace('/', '%2f');
  const body = {
    _id: name,
    name,
    'dist-tags': { [tag]: version },
    versions: {
      [version]: {
        ...packed.packageJson,
        _id: `${name}@${version}`,
        dist: {
          integrity,
          shasum: createHash('sha1').update(packed.tarball).digest('hex'),
          tarball: new URL(`${escaped}/-/${file.replace(/^@[^/]+\//, '')}`, registry).href,
          ...(signature ? { publisherSignature: signature } : {}),
        },
      },
    },
    _attachments: {
      [file]: {
        content_type: 'application/octet-stream',
        data: packed.tarball.toString('base64'),
        length: packed.tarball.length,
      },
    },
  };
  let res: Response;
  try {
    res = await fetch(new URL(escaped, registry), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new MarketplaceError('registry_unreachable', `${registry}: ${(error as Error).message}`, 503);
  }
  if (!res.ok) {
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    throw new MarketplaceError(
      String(answer.code ?? 'publish_refused'),
      `${name}@${version}: ${String(answer.detail ?? answer.error ?? res.statusText)}`,
      res.status,
    );
  }
  return { name, version, integrity, ...(signature ? { signature } : {}) };
}
