// erp backup <folder>: the database (pg_dump, directory format, one snapshot), the files of
// ERP_DATA_DIR and the audit checkpoints, and a manifest with a digest per file, written last.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { checkpointDir } from '../audit/index.js';
import type { KernelConfig } from '../config/index.js';
import { KERNEL_VERSION } from '../version.js';
import { BackupError } from './errors.js';
import { copyDataDir, outside, partOf } from './files.js';
import { FORMAT, fileDigests, writeManifest } from './manifest.js';
import { connection, pgTool, runTool } from './pg-tools.js';
import { stage } from './progress.js';
import { readRoles } from './roles.js';

export async function backup(config: KernelConfig, out: string): Promise<void> {
  if (!config.DATABASE_URL)
    throw new BackupError(
      'erp backup reads the database at DATABASE_URL; for the embedded one, stop the kernel and copy ERP_DATA_DIR whole',
    );
  if (existsSync(out) && readdirSync(out).length)
    throw new BackupError(`${out} is not empty: back up into a new folder`);
  await mkdir(out, { recursive: true, mode: 0o700 });
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string; n: string }>(
      `select current_setting('server_version') as v,
              (select count(*) from erp.tenants) as n`,
    );
    const serverVersion = rows[0]!.v;
    const roles = await readRoles(client);
    const pgDump = await pgTool('pg_dump', Number.parseInt(serverVersion, 10), config.ERP_PG_BIN);
    const db = connection(config.DATABASE_URL);
    await stage('database (pg_dump)', () =>
      runTool(
        pgDump,
        [
          '--format=directory',
          '--jobs=2',
          '--no-owner',
          `--file=${partOf(out, 'database')}`,
          `--dbname=${db.dbname}`,
        ],
        db.env,
      ),
    );
    await stage('files of ERP_DATA_DIR', () => copyDataDir(config.ERP_DATA_DIR, partOf(out, 'data')));
    const checkpoints = checkpointDir(config);
    if (outside(config.ERP_DATA_DIR, checkpoints) && existsSync(checkpoints))
      await stage('audit checkpoints', () => copyDataDir(checkpoints, partOf(out, 'checkpoints')));
    const files = await stage(
      'manifest',
      async () => {
        const digests = await fileDigests(out);
        await writeManifest(out, {
          format: FORMAT,
          createdAt: new Date().toISOString(),
          kernelVersion: KERNEL_VERSION,
          serverVersion,
          roles: roles.roles,
          memberships: roles.memberships,
          tenants: Number(rows[0]!.n),
          files: digests,
        });
        return digests;
      },
      (d) => `${Object.keys(d).length} files`,
    );
    const bytes = Object.values(files).reduce((n, f) => n + f.bytes, 0);
    console.log(
      `backup of ${rows[0]!.n} tenant(s) in ${out} (${(bytes / 1048576).toFixed(1)} MiB); keep it as secret as the keys it holds`,
    );
  } finally {
    await client.end();
  }
}
