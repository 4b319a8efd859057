// erp restore <folder>: into an empty database at DATABASE_URL and an empty ERP_DATA_DIR. The
// backup is checked against its manifest first; the cluster gets the roles the dump's grants name;
// pg_restore loads it before the kernel's migrations run (a backup from an older kernel comes out
// migrated forward); then every tenant's audit chain is verified against the restored checkpoints
// and signing key, and a chain that does not verify fails the restore.
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { AuditLog, checkpointDir, DirectorySink, loadAuditKeys } from '../audit/index.js';
import { type KernelConfig, loadOrCreateSecrets } from '../config/index.js';
import { openDatabase } from '../db/index.js';
import { TenantTx } from '../tenancy/index.js';
import { BackupError } from './errors.js';
import { partOf } from './files.js';
import { readVerifiedManifest } from './manifest.js';
import { connection, pgTool, runTool } from './pg-tools.js';
import { stage } from './progress.js';
import { ensureRoleGraph } from './roles.js';

async function refuseNonEmptyDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ has: boolean }>(`select to_regnamespace('erp') is not null as has`);
    if (rows[0]!.has)
      throw new BackupError(
        'DATABASE_URL already holds an ERP database (schema erp): restore into an empty database',
      );
  } finally {
    await client.end();
  }
}

export async function restore(config: KernelConfig, from: string): Promise<void> {
  if (!config.DATABASE_URL)
    throw new BackupError(
      'erp restore loads into the database at DATABASE_URL: create an empty one and set it',
    );
  const m = await stage(
    'backup matches its manifest',
    () => readVerifiedManifest(from),
    (x) =>
      `${Object.keys(x.files).length} files, ${x.tenants} tenant(s), kernel ${x.kernelVersion}, taken ${x.createdAt}`,
  );
  await refuseNonEmptyDatabase(config.DATABASE_URL);
  if (existsSync(join(config.ERP_DATA_DIR, 'secrets.json')))
    throw new BackupError(
      `${config.ERP_DATA_DIR} already holds an installation's secrets: restore into an empty ERP_DATA_DIR`,
    );
  await stage('files into ERP_DATA_DIR', () =>
    cp(partOf(from, 'data'), config.ERP_DATA_DIR, { recursive: true }),
  );
  if (existsSync(partOf(from, 'checkpoints')))
    await stage('audit checkpoints', () =>
      cp(partOf(from, 'checkpoints'), checkpointDir(config), { recursive: true }),
    );
  const pgRestore = await pgTool('pg_restore', Number.parseInt(m.serverVersion, 10), config.ERP_PG_BIN);
  const db = await openDatabase(config, loadOrCreateSecrets(config.ERP_DATA_DIR, config.ERP_SECRET_KEY), {
    beforeMigrate: async (ownerUrl) => {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        await stage(
          'database roles',
          () => ensureRoleGraph(client, m),
          (n) => `${n} created`,
        );
      } finally {
        await client.end();
      }
      const target = connection(ownerUrl);
      await stage('database (pg_restore)', () =>
        runTool(
          pgRestore,
          [
            '--no-owner',
            '--exit-on-error',
            '--jobs=2',
            `--dbname=${target.dbname}`,
            partOf(from, 'database'),
          ],
          target.env,
        ),
      );
    },
  });
  try {
    const audit = new AuditLog({
      tenantTx: new TenantTx(db.owner),
      keys: { trusted: loadAuditKeys(config, { create: false }).trusted },
      sink: new DirectorySink(checkpointDir(config)),
    });
    const { rows } = await db.owner.query<{ id: string; slug: string }>(
      'select id, slug from erp.tenants order by slug',
    );
    const bad: string[] = [];
    await stage(
      'audit chains',
      async () => {
        for (const t of rows) {
          const r = await audit.verify(t.id);
          if (!r.valid) bad.push(`${t.slug} (first bad seq ${r.firstBadSeq ?? 'none: a checkpoint'})`);
        }
      },
      () => `${rows.length - bad.length} of ${rows.length} valid`,
    );
    if (bad.length) throw new BackupError(`restored, but audit chains do not verify: ${bad.join(', ')}`);
    console.log(`restored ${rows.length} tenant(s) from ${from}; every audit chain verifies`);
  } finally {
    await db.close();
  }
}
