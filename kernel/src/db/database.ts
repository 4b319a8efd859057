// Opens the kernel's database: the embedded cluster when DATABASE_URL is unset, the given server
// otherwise. Returns the app pool (requests) and the owner pool (migrations, bootstrap CLI).
import { resolve } from 'node:path';
import pg from 'pg';
import { deriveKey, type KernelConfig, type Secrets } from '../config/index.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.js';
import { ensureRoles, migrateDatabase } from './migrate.js';
import { appUrlFrom } from './urls.js';

// numeric and int8 stay strings (decimals are never floats); timestamps stay Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export interface Database {
  /** Pool of the app role: owns no table, NOBYPASSRLS. Every request uses it. */
  app: pg.Pool;
  /** Pool of the owning role: migrations and bootstrap only, never request handling. */
  owner: pg.Pool;
  appUrl: string;
  ownerUrl: string;
  embedded: boolean;
  migrationsApplied: string[];
  close(): Promise<void>;
}

export async function openDatabase(
  config: KernelConfig,
  secrets: Secrets,
  opts: { migrate?: boolean; log?: (line: string) => void } = {},
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let ownerUrl = config.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: resolve(config.ERP_DATA_DIR),
      port: config.ERP_EMBEDDED_PG_PORT,
      password: secrets.embeddedDbPassword,
      log: opts.log,
    });
    ownerUrl = embedded.url;
  }
  const managedAppPassword = deriveKey(secrets.master, 'db-app-role').toString('base64url');
  const appUrl = config.DATABASE_APP_URL ?? appUrlFrom(ownerUrl, config.ERP_DB_APP_ROLE, managedAppPassword);
  let migrationsApplied: string[] = [];
  try {
    if (opts.migrate !== false) {
      const appRole = decodeURIComponent(new URL(appUrl).username);
      await ensureRoles(ownerUrl, appRole, config.DATABASE_APP_URL ? null : managedAppPassword);
      migrationsApplied = await migrateDatabase(ownerUrl);
    }
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const app = new pg.Pool({
    connectionString: appUrl,
    max: config.ERP_DB_POOL_SIZE,
    application_name: 'erp-kernel',
  });
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 2, application_name: 'erp-kernel-owner' });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  app.on('error', () => {});
  owner.on('error', () => {});
  return {
    app,
    owner,
    appUrl,
    ownerUrl,
    embedded: Boolean(embedded),
    migrationsApplied,
    async close() {
      await Promise.allSettled([app.end(), owner.end()]);
      await embedded?.stop();
    },
  };
}
