// PostgreSQL's own client tools do the dump and the restore (the format the field trusts, parallel,
// consistent in one snapshot). They must be of the server's major version or newer: found in
// ERP_PG_BIN, then on PATH, then where Debian, RHEL and Homebrew put each version.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { BackupError } from './errors.js';

const run = promisify(execFile);

/** Folders under root named like prefix + a version number, newest first, with /bin. */
function versioned(root: string, prefix: string, bin: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .sort((a, b) => Number(b.slice(prefix.length)) - Number(a.slice(prefix.length)))
    .map((n) => join(root, n, bin));
}

function candidateDirs(pgBin: string | undefined): string[] {
  return [
    ...(pgBin ? [pgBin] : []),
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
    ...versioned('/usr/lib/postgresql', '', 'bin'), // Debian, Ubuntu
    ...versioned('/usr', 'pgsql-', 'bin'), // RHEL, Fedora (PGDG)
    ...versioned('/opt/homebrew/opt', 'postgresql@', 'bin'), // macOS
  ];
}

/** The path of a tool whose major version is at least the server's. */
export async function pgTool(
  name: 'pg_dump' | 'pg_restore',
  serverMajor: number,
  pgBin: string | undefined,
): Promise<string> {
  const seen: string[] = [];
  for (const dir of candidateDirs(pgBin)) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const { stdout } = await run(file, ['--version']).catch(() => ({ stdout: '' }));
    const major = Number(/(\d+)(\.\d+)?/.exec(stdout)?.[1] ?? 0);
    seen.push(`${file} (${major || '?'})`);
    if (major >= serverMajor) return file;
  }
  throw new BackupError(
    `${name} ${serverMajor} or newer not found (the server is PostgreSQL ${serverMajor}${
      seen.length ? `; found ${seen.join(', ')}` : ''
    }): install its client tools or set ERP_PG_BIN to their folder`,
  );
}

/** The connection as a tool takes it: the URL without its password, which goes by environment. */
export function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

export async function runTool(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(file, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    // The tool's own first line says what went wrong (passwords go by environment, never in args).
    const line = (e.stderr ?? e.message).split('\n').find((l) => l.trim()) ?? e.message;
    throw new BackupError(`${file.split('/').pop()} failed: ${line.trim()}`);
  }
}
