// What the catalogue says about one version: its manifest (permissions, capabilities, plugin
// dependencies), kernel compatibility, deprecated / yanked, and the publisher's signature judged
// against the registry's key register — a revoked key's versions are flagged, never trusted.
// npm has no "yank" of its own (unpublishing deletes): a version deprecated with a message that
// starts with "yanked" is yanked — shown, never chosen, and refused for new installs.
import { type PluginPackage, parsePluginPackage } from '@erp/sdk';
import semver from 'semver';
import type { MarketplaceClientModule, NpmKeysDocument, ReleaseVerification } from '../marketplace/index.js';
import type { PackumentVersion, RegistryClient } from './registry-client.js';
import type { PublisherInfo, SignatureStatus, VersionInfo } from './schemas.js';

export type { SignatureStatus, VersionInfo };

const STATUS: Record<ReleaseVerification['status'], SignatureStatus> = {
  valid: 'verified',
  unsigned: 'unsigned',
  'unknown-key': 'unknown-key',
  'expired-key': 'expired',
  'revoked-key': 'revoked',
  'bad-signature': 'invalid',
  'integrity-mismatch': 'invalid',
};

export const isYanked = (v: Pick<PackumentVersion, 'deprecated'>) =>
  typeof v.deprecated === 'string' && /^yanked\b/i.test(v.deprecated.trim());

export function pluginPackage(v: PackumentVersion): PluginPackage | string {
  try {
    return parsePluginPackage(v);
  } catch (err) {
    return (err as Error).message;
  }
}

export function kernelCompatible(kernelRange: string | null, kernelVersion: string): boolean {
  return kernelRange !== null && semver.satisfies(kernelVersion, kernelRange, { includePrerelease: true });
}

export interface DescribeDeps {
  market: MarketplaceClientModule;
  registry: RegistryClient;
  kernelVersion: string;
}

export async function verifyPublisher(
  d: DescribeDeps,
  keys: ReturnType<RegistryClient['publisherKeys']>,
  v: PackumentVersion,
  release: { integrity: string; manifestHash: string },
): Promise<PublisherInfo & { verification: ReleaseVerification }> {
  const verification = await d.market.verifyRelease({
    release: { name: v.name, version: v.version, ...release },
    signature: v.dist.publisherSignature ?? null,
    keys,
  });
  return {
    owner: verification.publisher ?? null,
    keyid: verification.keyid ?? null,
    status: STATUS[verification.status],
    reason: verification.reason,
    verification,
  };
}

export function registrySignatureOf(
  d: DescribeDeps,
  keys: NpmKeysDocument,
  v: PackumentVersion,
  integrity: string,
): VersionInfo['registrySignature'] {
  if (!v.dist.signatures?.length) return 'missing';
  return d.market.verifyVersionSignature(keys, v.name, v.version, integrity, v.dist.signatures)
    ? 'verified'
    : 'invalid';
}

export async function describeVersion(
  d: DescribeDeps,
  ctx: {
    keys: NpmKeysDocument;
    publisherKeys: ReturnType<RegistryClient['publisherKeys']>;
    time?: Record<string, string>;
  },
  v: PackumentVersion,
): Promise<VersionInfo> {
  const pkg = pluginPackage(v);
  const integrity = typeof v.dist?.integrity === 'string' ? v.dist.integrity : null;
  const manifest = typeof pkg === 'string' ? undefined : pkg.manifest;
  const kernelRange = typeof pkg === 'string' ? null : pkg.kernelRange;
  const publisher = integrity
    ? await verifyPublisher(d, ctx.publisherKeys, v, {
        integrity,
        manifestHash: d.market.pluginManifestHash(v),
      })
    : {
        owner: null,
        keyid: null,
        status: 'unsigned' as const,
        reason: `${v.name}@${v.version} has no integrity`,
      };
  return {
    version: v.version,
    deprecated: typeof v.deprecated === 'string' ? v.deprecated : null,
    yanked: isYanked(v),
    kernelRange,
    compatible: kernelCompatible(kernelRange, d.kernelVersion),
    permissions: manifest?.permissions ?? {},
    capabilities: manifest?.capabilities ?? [],
    dependencies: manifest?.dependencies ?? {},
    integrity,
    publishedAt: ctx.time?.[v.version] ?? null,
    publisher: {
      owner: publisher.owner,
      keyid: publisher.keyid,
      status: publisher.status,
      reason: publisher.reason,
    },
    registrySignature: integrity ? registrySignatureOf(d, ctx.keys, v, integrity) : 'missing',
    invalid: typeof pkg === 'string' ? pkg : null,
  };
}
