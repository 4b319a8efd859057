// Seeding: publishes each first-party package version the registry does not have yet, signed with
// the first-party key. Versions already there are skipped, so every start runs it and only the
// first (or the first after an upgrade) publishes anything.
import type { FastifyBaseLogger } from 'fastify';
import type { MarketplaceModule, RunningRegistry } from './module.js';
import { withPackLock } from './pack-lock.js';
import { compilePackage, type FirstPartyPackage, pnpmCommand } from './packages.js';
import { type FirstPartyPublisher, publisherToken } from './publisher.js';

export interface SeedResult {
  published: string[];
  present: string[];
  ms: number;
}

async function hasVersion(registry: string, pkg: FirstPartyPackage): Promise<boolean> {
  const res = await fetch(new URL(pkg.name.replace('/', '%2f'), registry), {
    headers: { accept: 'application/json' },
  });
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`registry answered ${res.status} for ${pkg.name}`);
  const packument = (await res.json()) as { versions?: Record<string, unknown> };
  return Boolean(packument.versions?.[pkg.version]);
}

export async function seedRegistry(options: {
  marketplace: MarketplaceModule;
  registry: RunningRegistry;
  publisher: FirstPartyPublisher;
  packages: FirstPartyPackage[];
  log: FastifyBaseLogger;
  signal?: AbortSignal;
}): Promise<SeedResult> {
  const { marketplace, registry, publisher, packages, log, signal } = options;
  const started = Date.now();
  const missing: FirstPartyPackage[] = [];
  const present: string[] = [];
  for (const pkg of packages) {
    if (await hasVersion(registry.url, pkg)) present.push(`${pkg.name}@${pkg.version}`);
    else missing.push(pkg);
  }
  const published: string[] = [];
  if (missing.length > 0) {
    log.info(
      `registry seeding: publishing ${missing.map((p) => `${p.name}@${p.version}`).join(', ')} (first-party key ${publisher.keyid})`,
    );
    await registry.publisherKeys.register(publisher.user, publisher.publicKey);
    const token = await publisherToken(registry.url, publisher);
    const packer = pnpmCommand();
    for (const pkg of missing) {
      const t0 = Date.now();
      const packed = await withPackLock(pkg.dir, async () => {
        await compilePackage(pkg, signal);
        return marketplace.packFolder(pkg.dir, { packer, ...(signal ? { signal } : {}) });
      });
      await marketplace.publishRelease({
        registry: registry.url,
        token,
        packed,
        privateKey: publisher.privateKey,
      });
      published.push(`${pkg.name}@${pkg.version}`);
      log.info(`registry seeding: published ${pkg.name}@${pkg.version} (${Date.now() - t0} ms)`);
    }
  }
  return { published, present, ms: Date.now() - started };
}
