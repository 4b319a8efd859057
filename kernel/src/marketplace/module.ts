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

export interface MarketplaceModule {
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
  publishRelease(options: {
    registry: string;
    token: string;
    packed: PackedPackage;
    privateKey?: string;
  }): Promise<{ name: string; version: string; integrity: string }>;
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
