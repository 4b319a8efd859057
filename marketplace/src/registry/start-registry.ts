// Starts verdaccio inside this process with the marketplace plugin, storage in the caller's folder,
// no uplinks, on a free loopback port unless told otherwise.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runServer } from 'verdaccio';
import { PublisherKeyStore } from '../publisher-signatures/index.js';
import { loadOrCreateRegistryKey } from '../registry-signatures/index.js';
import { PLUGIN_NAME, registerPluginInstance, VERDACCIO_PLUGINS_DIR } from './bridge.js';
import { MarketplacePlugin } from './marketplace-plugin.js';
import { ScopeOwners } from './scope-owners.js';

export interface StartRegistryOptions {
  /** The registry's folder (the kernel passes ERP_DATA_DIR/registry); created if missing. */
  storage: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the registry is not exposed unless asked. */
  host?: string;
  /** How many users may `npm adduser` (verdaccio htpasswd `max_users`); default 1000, -1 closes sign-up. */
  maxUsers?: number;
  /** Scopes owned before anyone publishes, e.g. `{ '@erp': 'erp' }` for the kernel's seeding user. */
  reservedScopes?: Record<string, string>;
  /** verdaccio's log level; default 'error' (logs go to stdout as JSON). */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'http' | 'debug' | 'trace';
  /** Largest publish document accepted; default 100 MiB. */
  maxBodyBytes?: number;
}

export interface RunningRegistry {
  /** `http://host:port/`, with the trailing slash npm's config expects. */
  url: string;
  port: number;
  storage: string;
  /** The keyid of the registry's signing key, as `GET /-/npm/v1/keys` lists it. */
  keyid: string;
  publisherKeys: PublisherKeyStore;
  owners: ScopeOwners;
  stop(): Promise<void>;
}

export async function startRegistry(options: StartRegistryOptions): Promise<RunningRegistry> {
  const { storage, host = '127.0.0.1', port = 0 } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 100 * 1024 * 1024;
  await mkdir(storage, { recursive: true });
  const registryKey = await loadOrCreateRegistryKey(storage);
  const publisherKeys = new PublisherKeyStore(storage);
  const owners = new ScopeOwners(storage);
  if (options.reservedScopes) await owners.reserve(options.reservedScopes);
  const instance = registerPluginInstance(
    new MarketplacePlugin({ owners, registryKey, publisherKeys, maxBodyBytes }),
  );
  const pluginConfig = { instance: instance.id };
  const config = {
    self_path: join(storage, 'config.yaml'),
    storage: join(storage, 'packages'),
    plugins: VERDACCIO_PLUGINS_DIR,
    auth: {
      // Listed first: its allow_publish decides ownership before verdaccio's fallback rules.
      [PLUGIN_NAME]: pluginConfig,
      htpasswd: { file: join(storage, 'htpasswd'), max_users: options.maxUsers ?? 1000 },
    },
    middlewares: { [PLUGIN_NAME]: pluginConfig },
    uplinks: {},
    packages: {
      '@*/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
      '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
    },
    publish: { allow_offline: true },
    web: { enable: false },
    max_body_size: `${Math.ceil(maxBodyBytes / 1024)}kb`,
    log: { type: 'stdout', format: 'json', level: options.logLevel ?? 'error' },
  };
  let server: Server;
  try {
    server = (await runServer(config as never)) as unknown as Server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    instance.release();
    throw error;
  }
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}/`,
    port: bound,
    storage,
    keyid: registryKey.keyid,
    publisherKeys,
    owners,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      instance.release();
    },
  };
}
