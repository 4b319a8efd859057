// Seeding: publishes each first-party release the registry does not have yet, signed with the
// first-party key. Versions already there are skipped, so every start runs it and only the first
// (or the first after an upgrade) publishes anything. A release comes from a package folder
// (`erp start`: compiled and packed here) or from a tarball packed at build time (the image's
// registry: no compiler and no sources at run time).
import type { FastifyBaseLogger } from 'fastify';
import type { MarketplaceModule, PackedPackage, RunningRegistry } from './module.js';
import { withPackLock } from './pack-lock.js';
import { compilePackage, type FirstPartyPackage, pnpmCommand } from './packages.js';
import { type FirstPartyPublisher, publisherToken } from './publisher.js';

export interface SeedResult {
  published: string[];
  present: string[];
  ms: number;
}

/** One release to publish: its name and version (to skip it when present) and its tarball. */
export interface SeedRelease {
  name: string;
  version: string;
  pack(signal?: AbortSignal): Promise<PackedPackage>;
}

/** Releases from package folders: compiled and packed by pnpm when published. */
export function folderReleases(packages: FirstPartyPackage[], marketplace: MarketplaceModule): SeedRelease[] {
  const packer = pnpmCommand();
  return packages.map((pkg) => ({
    name: pkg.name,
    version: pkg.version,
    pack: (signal) =>
      withPackLock(pkg.dir, async () => {
        await compilePackage(pkg, signal);
        return marketplace.packFolder(pkg.dir, { packer, ...(signal ? { signal } : {}) });
      }),
  }));
}

async function hasVersion(registry: string, release: SeedRelease): Promise<boolean> {
  const res = await fetch(new URL(release.name.replace('/', '%2f'), registry), {
    headers: { accept: 'application/json' },
  });
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`registry answered ${res.status} for ${release.name}`);
  const packument = (await res.json()) as { versions?: Record<string, unknown> };
  return Boolean(packument.versions?.[release.version]);
}

export async function seedRegistry(options: {
  marketplace: MarketplaceModule;
  registry: Pick<RunningRegistry, 'url' | 'publisherKeys'>;
  publisher: FirstPartyPublisher;
  releases: SeedRelease[];
  log: Pick<FastifyBaseLogger, 'info'>;
  signal?: AbortSignal;
}): Promise<SeedResult> {
  const { marketplace, registry, publisher, releases, log, signal } = options;
  const started = Date.now();
  const missing: SeedRelease[] = [];
  const present: string[] = [];
  for (const release of releases) {
    if (await hasVersion(registry.url, release)) present.push(`${release.name}@${release.version}`);
    else missing.push(release);
  }
  const published: string[] = [];
  if (missing.length > 0) {
    log.info(
      `registry seeding: publishing ${missing.map((p) => `${p.name}@${p.version}`).join(', ')} (first-party key ${publisher.keyid})`,
    );
    await registry.publisherKeys.register(publisher.user, publisher.publicKey);
    const token = await publisherToken(registry.url, publisher);
    for (const release of missing) {
      const t0 = Date.now();
      const packed = await release.pack(signal);
      await marketplace.publishRelease({
        registry: registry.url,
        token,
        packed,
        privateKey: publisher.privateKey,
      });
      published.push(`${release.name}@${release.version}`);
      log.info(`registry seeding: published ${release.name}@${release.version} (${Date.now() - t0} ms)`);
    }
  }
  return { published, present, ms: Date.now() - started };
}
