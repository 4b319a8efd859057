// The part of @erp/marketplace the kernel uses, loaded only when `erp start` runs. The package is an
// optional dependency: an installation without it (an operator's npm install of the kernel alone,
// where it is not in the public registry) runs with REGISTRY_URL or without a registry. The
// specifier is a variable so the kernel's build does not compile the marketplace's sources; the
// shape below is checked against the real module by the kernel's type-check (test/registry-start).
import type { PackageJson } from './packages.js';

export interface RunningRegistry {
  url: string;
  port: number;
  publisherKeys: {
    register(owner: string, publicKey: string, expiresAt?: string | null): Promise<unknown>;
  };
  stop(): Promise<void>;
}

export interface PackedPackage {
  packageJson: PackageJson;
  tarball: Buffer;
  integrity: string;
}

export interface MarketplaceModule extends MarketplaceClientModule {
  startRegistry(options: {
    storage: string;
    port?: number;
    host?: string;
    reservedScopes?: Record<string, string>;
  }): Promise<RunningRegistry>;
  generatePublisherKey(): { keyid: string; publicKey: string; privateKey: string };
  packFolder(
    dir: string,
    options: { packer?: string | string[]; signal?: AbortSignal },
  ): Promise<PackedPackage>;
  /** A tarball packed earlier, read as packFolder returns it. */
  readPacked(file: string): Promise<PackedPackage>;
  publishRelease(options: {
    registry: string;
    token: string;
    packed: PackedPackage;
    privateKey?: string;
  }): Promise<{ name: string; version: string; integrity: string }>;
}

/** What the registry says about a publisher key (`GET /-/erp/v1/publisher-keys/:keyid`). */
export interface PublisherKeyRecord {
  keyid: string;
  owner: string;
  publicKey: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

export interface ReleaseVerification {
  status:
    | 'valid'
    | 'unsigned'
    | 'unknown-key'
    | 'expired-key'
    | 'revoked-key'
    | 'bad-signature'
    | 'integrity-mismatch';
  reason: string;
  keyid?: string;
  publisher?: string;
}

export interface PublisherSignature {
  keyid: string;
  sig: string;
  integrity: string;
  manifestHash: string;
}

export interface NpmKeysDocument {
  keys: Array<{ keyid: string; keytype: string; scheme: string; key: string; expires: string | null }>;
}

export interface FetchedPlugin {
  name: string;
  version: string;
  integrity: string;
  dir: string;
  manifest: Record<string, unknown> & { name: string; version: string; dist: Record<string, unknown> };
}

/** What the kernel's catalogue and installer use (kernel/src/catalogue). */
export interface MarketplaceClientModule {
  fetchPlugin(options: {
    registry: string;
    name: string;
    spec: string;
    store: string;
    token?: string;
    integrity?: string;
    provided?: readonly string[];
    dependencyRegistry?: string;
  }): Promise<FetchedPlugin>;
  verifyRelease(input: {
    release: { name: string; version: string; integrity: string; manifestHash: string };
    signature: PublisherSignature | undefined | null;
    keys: { get(keyid: string): Promise<PublisherKeyRecord | undefined> };
    now?: Date;
  }): Promise<ReleaseVerification>;
  verifyVersionSignature(
    keys: NpmKeysDocument,
    name: string,
    version: string,
    integrity: string,
    signatures: readonly { keyid: string; sig: string }[] | undefined,
  ): boolean;
  pluginManifestHash(packageJson: Record<string, unknown>): string;
}

export const MARKETPLACE_PACKAGE = '@erp/marketplace';

/** The marketplace module, or undefined when it is not installed. */
export async function loadMarketplace(): Promise<MarketplaceModule | undefined> {
  const specifier: string = MARKETPLACE_PACKAGE;
  try {
    return (await import(specifier)) as MarketplaceModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(MARKETPLACE_PACKAGE)) return undefined;
    throw error;
  }
}
