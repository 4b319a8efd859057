// The registry `erp start` brings up: the embedded one (verdaccio, storage in ERP_DATA_DIR/registry,
// loopback, ERP_REGISTRY_PORT or a free port) unless REGISTRY_URL names another, then seeded in the
// background with the first-party packages. A seeding failure is logged; the kernel keeps running.
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { loadMarketplace, MARKETPLACE_PACKAGE } from './module.js';
import { firstPartyPackages } from './packages.js';
import { FIRST_PARTY_SCOPES, loadOrCreatePublisher } from './publisher.js';
import { folderReleases, type SeedResult, seedRegistry } from './seed.js';

export interface MarketplaceRegistry {
  /** The registry's address, with a trailing slash; undefined when there is none. */
  url: string | undefined;
  embedded: boolean;
  /** Publishes the missing first-party versions; resolves (never rejects) when done or failed. */
  seed(log: FastifyBaseLogger): Promise<SeedResult | undefined>;
  stop(): Promise<void>;
}

export interface RegistryConfig {
  ERP_DATA_DIR: string;
  REGISTRY_URL?: string | undefined;
  ERP_REGISTRY_PORT: number;
}

export async function startMarketplaceRegistry(config: RegistryConfig): Promise<MarketplaceRegistry> {
  if (config.REGISTRY_URL) {
    const url = config.REGISTRY_URL.endsWith('/') ? config.REGISTRY_URL : `${config.REGISTRY_URL}/`;
    return { url, embedded: false, seed: async () => undefined, stop: async () => {} };
  }
  const marketplace = await loadMarketplace();
  if (!marketplace) {
    return {
      url: undefined,
      embedded: false,
      seed: async (log) => {
        log.warn(`${MARKETPLACE_PACKAGE} is not installed: no embedded registry (set REGISTRY_URL)`);
        return undefined;
      },
      stop: async () => {},
    };
  }
  const publisher = loadOrCreatePublisher(config.ERP_DATA_DIR, marketplace);
  const registry = await marketplace.startRegistry({
    storage: join(config.ERP_DATA_DIR, 'registry'),
    port: config.ERP_REGISTRY_PORT,
    host: '127.0.0.1',
    reservedScopes: Object.fromEntries(FIRST_PARTY_SCOPES.map((scope) => [scope, publisher.user])),
  });
  const abort = new AbortController();
  let seeding: Promise<unknown> = Promise.resolve();
  return {
    url: registry.url,
    embedded: true,
    seed: (log) => {
      const run = seedRegistry({
        marketplace,
        registry,
        publisher,
        releases: folderReleases(firstPartyPackages(), marketplace),
        log,
        signal: abort.signal,
      }).then(
        (result) => {
          log.info(
            { published: result.published, present: result.present, ms: result.ms },
            result.published.length
              ? `registry seeded: ${result.published.length} package(s) published in ${result.ms} ms`
              : 'registry seeded: every first-party package is already there',
          );
          return result;
        },
        (error: unknown) => {
          if (!abort.signal.aborted) {
            log.error(`registry seeding failed: ${error instanceof Error ? error.message : String(error)}`);
          }
          return undefined;
        },
      );
      seeding = run;
      return run;
    },
    stop: async () => {
      abort.abort();
      await seeding;
      await registry.stop();
    },
  };
}
