// Where a bench's data lives: the PostgreSQL server named by DATABASE_URL when it is set, otherwise
// an embedded cluster (the kernel's own startEmbeddedPostgres) in a temporary folder. Each bench
// works in a scratch database of its own that is dropped at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@erp/kernel';
import pg from 'pg';

export interface BenchCluster {
  /** Superuser URL of the cluster. */
  url: string;
  kind: 'server' | 'embedded';
  /** The embedded cluster's postmaster pid (its backends are its children); null for a server. */
  postmasterPid: number | null;
  stop(): Promise<void>;
}

export async function benchCluster(): Promise<BenchCluster> {
  const given = process.env.DATABASE_URL;
  if (given) return { url: given, kind: 'server', postmasterPid: null, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'erp-bench-pg-'));
  const embedded = await startEmbeddedPostgres({ dataDir: dir, port: 0, password: 'erp-bench-cluster' });
  const pidFile = readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8');
  return {
    url: embedded.url,
    kind: 'embedded',
    postmasterPid: Number(pidFile.split('\n')[0]) || null,
    async stop() {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the cluster (named erp_bench_<random>), and drops it on request. */
export async function scratchDatabase(clusterUrl: string): Promise<ScratchDatabase> {
  const name = `erp_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(clusterUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: clusterUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
