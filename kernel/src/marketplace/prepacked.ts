// First-party releases packed ahead of time, for a registry that runs where there is no compiler
// and no sources (the container image): the image's build stage packs them into a folder
// (`packFirstParty`), and its registry publishes what it lacks when it starts (`seedPrepacked`),
// signed with the first-party key it keeps in its own storage, as `erp start` does.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import {
  loadMarketplace,
  MARKETPLACE_PACKAGE,
  type MarketplaceModule,
  type RunningRegistry,
} from './module.js';
import { firstPartyPackages } from './packages.js';
import { loadOrCreatePublisher } from './publisher.js';
import { folderReleases, type SeedRelease, type SeedResult, seedRegistry } from './seed.js';

type Log = Pick<FastifyBaseLogger, 'info'>;

async function marketplaceModule() {
  const marketplace = await loadMarketplace();
  if (!marketplace) throw new Error(`${MARKETPLACE_PACKAGE} is not installed`);
  return marketplace;
}

/** The npm-style file name of a release (`erp-plugin-warehouses-0.1.2.tgz`). */
const tarballName = (name: string, version: string) =>
  `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/** Compiles and packs every first-party package into `outDir`; returns the files written. */
export async function packFirstParty(outDir: string, log: Log, root?: string): Promise<string[]> {
  const marketplace = await marketplaceModule();
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const release of folderReleases(firstPartyPackages(root), marketplace)) {
    const t0 = Date.now();
    const packed = await release.pack();
    const file = join(outDir, tarballName(release.name, release.version));
    writeFileSync(file, packed.tarball);
    written.push(file);
    log.info(`packed ${release.name}@${release.version} (${Date.now() - t0} ms)`);
  }
  return written;
}

/** The releases in a folder of tarballs, each read once (name and version from its package.json). */
async function prepackedReleases(dir: string, marketplace: MarketplaceModule): Promise<SeedRelease[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tgz'))
    .sort();
  const releases: SeedRelease[] = [];
  for (const file of files) {
    const packed = await marketplace.readPacked(join(dir, file));
    const { name, version } = packed.packageJson;
    releases.push({ name, version, pack: async () => packed });
  }
  return releases;
}

/**
 * Publishes the tarballs in `dir` that the registry lacks, signed with the first-party key kept in
 * `dataDir` (created on the first run, with the registry user that owns the first-party scopes).
 */
export async function seedPrepacked(options: {
  registry: Pick<RunningRegistry, 'url' | 'publisherKeys'>;
  dataDir: string;
  dir: string;
  log: Log;
}): Promise<SeedResult> {
  const marketplace = await marketplaceModule();
  return seedRegistry({
    marketplace,
    registry: options.registry,
    publisher: loadOrCreatePublisher(options.dataDir, marketplace),
    releases: await prepackedReleases(options.dir, marketplace),
    log: options.log,
  });
}
