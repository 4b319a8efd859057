// Opens the kernel's database: the embedded cluster when DATABASE_URL is unset, the given server
// otherwise. Returns the app pool (requests) and the owner pool (migrations, bootstrap CLI).
import { resolve } from 'node:path';
import pg from 'pg';
import { deriveKey, type KernelConfig, type Secrets } from '../config/index.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.js';
import { ensureRoles, migrateDatabase } from './migrate.js';
import { WORKER_ROLE } from './migrations/index.js';
import { appUrlFrom } from './urls.js';

// numeric and int8 stay strings (decimals are never floats); timestamps stay Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export interface Database {
  /** Pool of the app role: owns no table, NOBYPASSRLS. Every request uses it. */
  app: pg.Pool;
  /** Pool of the owning role: migrations and bootstrap only, never request handling. */
  owner: pg.Pool;
  /** Pool of the background workers' login (WORKER_ROLE): every tenant's queue rows, nothing else extra. */
  worker: pg.Pool;
  appUrl: string;
  ownerUrl: string;
  /**
   * A URL that logs in as `role` with the password the kernel derives for it from the master
   * secret (plugin migration roles). The role must exist with that password (see loginPassword).
   */
  loginUrl(role: string): string;
  /** The password the kernel gives a login role it manages. */
  loginPassword(role: string): string;
  embedded: boolean;
  migrationsApplied: string[];
  close(): Promise<void>;
}

export async function openDatabase(
  config: KernelConfig,
  secrets: Secrets,
  opts: {
    migrate?: boolean;
    log?: (line: string) => void;
    /** Runs once the kernel's roles exist and before migrations (erp restore loads its dump here). */
    beforeMigrate?: (ownerUrl: string) => Promise<void>;
  } = {},
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
  const loginPassword = (role: string) => deriveKey(secrets.master, `db-login:${role}`).toString('base64url');
  const loginUrl = (role: string) => appUrlFrom(ownerUrl, role, loginPassword(role));
  const workerUrl = loginUrl(WORKER_ROLE);
  let migrationsApplied: string[] = [];
  try {
    if (opts.migrate !== false) {
      const appRole = decodeURIComponent(new URL(appUrl).username);
      await ensureRoles(
        ownerUrl,
        appRole,
        config.DATABASE_APP_URL ? null : managedAppPassword,
        loginPassword(WORKER_ROLE),
      );
      await opts.beforeMigrate?.(ownerUrl);
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
  const worker = new pg.Pool({
    connectionString: workerUrl,
    max: config.ERP_WORKER_POOL_SIZE,
    application_name: 'erp-kernel-worker',
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  app.on('error', () => {});
  owner.on('error', () => {});
  worker.on('error', () => {});
  return {
    app,
    owner,
    worker,
    appUrl,
    ownerUrl,
    loginUrl,
    loginPassword,
    embedded: Boolean(embedded),
    migrationsApplied,
    async close() {
      await Promise.allSettled([app.end(), owner.end(), worker.end()]);
      await embedded?.stop();
    },
  };
}
