// Issue 13's audit-verification benchmark: how fast one tenant's hash chain verifies from the
// database (AuditLog.verify, what `erp audit verify` runs) and from an export file (what
// `erp audit verify --file` runs), against the ceiling measured in the same run: this machine's
// single-thread SHA-256 rate for one ~300-byte entry through node:crypto. Rates swing with the
// machine's load, so each round measures the ceiling right beside the verifications and the
// ratios are what to compare. The chain is seeded straight into erp.audit_entries (hashes computed
// here, a signed checkpoint every 10,000 entries), so seeding takes seconds, not a sealer's minutes.
//
// Environment: DATABASE_URL (else an embedded cluster), BENCH_RUNS (3), BENCH_VERIFY_ENTRIES (200000).
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, loadConfig, startKernel } from '@erp/kernel';
import { benchCluster, scratchDatabase } from './support/database.js';
import { BENCH_APP_ROLE, BENCH_SECRET_KEY } from './support/kernel.js';
import { type Cell, writeReport } from './support/report.js';
import { median, round } from './support/stats.js';

// The issue's targets, and the same targets as fractions of the 0.5M/s SHA-256 rate it measured.
const TARGET = { export: 400_000, db: 200_000 };
const ISSUE_SHA_RATE = 500_000;
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const runs = int('BENCH_RUNS', 3);
const entries = int('BENCH_VERIFY_ENTRIES', 200_000);
const CHECKPOINT_EVERY = 10_000;
// Worker threads for both verifications (default: what the kernel picks, one per core).
const threads = ((v) => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error('BENCH_VERIFY_THREADS must be a whole number (0: no worker threads)');
  return Number(v);
})(process.env.BENCH_VERIFY_THREADS);

/** Single-thread SHA-256 of a 300-byte input through node:crypto, hashes per second. */
function shaCeiling(): number {
  const input = Buffer.alloc(300, 7);
  const n = 300_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) hash('sha256', input, 'buffer');
  return n / ((performance.now() - t0) / 1000);
}

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-bench-audit-verify-'));
  cleanup.unshift(async () => rmSync(dataDir, { recursive: true, force: true }));
  console.log(`audit-verify: ${cluster.kind} PostgreSQL, ${entries} entries, ${runs} rounds`);
  const k = await startKernel(
    loadConfig({
      DATABASE_URL: db.url,
      ERP_DATA_DIR: dataDir,
      ERP_SECRET_KEY: BENCH_SECRET_KEY,
      ERP_DB_APP_ROLE: BENCH_APP_ROLE,
      LOG_LEVEL: 'warn',
    }),
    { listen: false },
  );
  cleanup.unshift(() => k.stop());
  const { db: kdb, audit: log } = k.container.cradle;
  const signer = log.keys.signer;
  if (!signer) throw new Error('the bench kernel has no audit signing key');

  // Seed: one tenant, `entries` chained entries like a user update, checkpoints, the head.
  const t0 = performance.now();
  const { rows } = await kdb.owner.query<{ id: string }>(
    `insert into erp.tenants (id, slug, name) values (gen_random_uuid(), 'verify', 'Verify') returning id`,
  );
  const tenantId = rows[0]!.id;
  let prev: Buffer = audit.GENESIS_HASH;
  const frontier = new audit.MerkleFrontier();
  const page = 10_000;
  for (let from = 1; from <= entries; from += page) {
    const cols: unknown[][] = Array.from({ length: 10 }, () => []);
    const checkpoints: unknown[][] = [[], [], [], []];
    for (let seq = from; seq < Math.min(from + page, entries + 1); seq++) {
      const change = {
        before: { displayName: 'Before', status: 'active' },
        after: { displayName: `After ${seq % 16}`, status: 'active' },
      };
      const e = {
        tenantId,
        seq,
        occurredAt: new Date(1_750_000_000_000 + seq).toISOString(),
        actor: { type: 'user' as const, id: '7c2f4a52-5b8e-4d7e-9a3f-0c1d2e3f4a5b', userId: null },
        action: 'iam.user.updated',
        resource: { type: 'user', id: `writer-${seq % 16}` },
        requestId: '4f6c8a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
        clientIp: '127.0.0.1',
        change,
      };
      const changeText = audit.canonicalJson(change);
      const h = audit.entryHash(prev, e, changeText);
      frontier.append(audit.leafHash(h));
      for (const [i, v] of [seq, e.occurredAt, e.resource.id, changeText, prev, h].entries())
        cols[i]!.push(v);
      prev = h;
      if (seq % CHECKPOINT_EVERY === 0 || seq === entries) {
        const cp = { tenantId, size: seq, root: frontier.root(), head: h, time: new Date().toISOString() };
        for (const [i, v] of [seq, cp.root, h, audit.signCheckpoint(cp, signer)].entries())
          checkpoints[i]!.push(v);
      }
    }
    await kdb.owner.query(
      `insert into erp.audit_entries (tenant_id, seq, occurred_at, actor_type, actor_id, action, resource_type,
         resource_id, request_id, client_ip, change, prev_hash, hash)
       select $1, s, o, 'user', '7c2f4a52-5b8e-4d7e-9a3f-0c1d2e3f4a5b', 'iam.user.updated', 'user', r,
              '4f6c8a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b', '127.0.0.1', c::json, p, h
         from unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::bytea[], $7::bytea[])
           as t(s, o, r, c, p, h)`,
      [tenantId, ...cols.slice(0, 6)],
    );
    await kdb.owner.query(
      `insert into erp.audit_checkpoints (tenant_id, size, root, head_hash, key_id, created_at, note)
       select $1, s, r, h, $6, now(), n from unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::text[]) as t(s, r, h, n)`,
      [tenantId, ...checkpoints, signer.name],
    );
  }
  await kdb.owner.query(
    `insert into erp.audit_heads (tenant_id, seq, hash, frontier, checkpoint_size)
     values ($1, $2, $3, $4::bytea[], $2)`,
    [tenantId, entries, prev, frontier.state],
  );
  const exportFile = join(dataDir, 'verify.ndjson');
  const fh = await open(exportFile, 'w');
  await log.export(tenantId, (line) => fh.write(`${line}\n`).then(() => undefined));
  await fh.close();
  console.log(`  seeded and exported in ${Math.round(performance.now() - t0)} ms`);

  // As `erp audit verify --file` does it: runs checked on worker threads when the file is long.
  const verifyExport = async (): Promise<audit.VerifyReport> => {
    const exp = await audit.openExport(exportFile);
    const v = new audit.ChainVerifier({ tenantId, trusted: log.keys.trusted, checkpoints: exp.checkpoints });
    await audit.verifyRuns(v, audit.exportRuns(exp), threads ?? audit.threadsFor(exp.entriesAtMost));
    return v.finish();
  };

  const ceiling: number[] = [];
  const fromDb: number[] = [];
  const fromExport: number[] = [];
  const ratio = { db: [] as number[], export: [] as number[] };
  for (let r = 0; r < runs; r++) {
    const c = shaCeiling();
    let t = performance.now();
    const dbReport = await log.verify(tenantId, threads === undefined ? {} : { threads });
    const dbRate = perSecond(dbReport.entries, performance.now() - t);
    t = performance.now();
    const fileReport = await verifyExport();
    const fileRate = perSecond(fileReport.entries, performance.now() - t);
    for (const rep of [dbReport, fileReport]) {
      if (
        !rep.valid ||
        rep.entries !== entries ||
        rep.checkpoints.matching !== Math.ceil(entries / CHECKPOINT_EVERY)
      )
        throw new Error(`the seeded chain did not verify: ${JSON.stringify(rep).slice(0, 500)}`);
    }
    const c2 = shaCeiling();
    const sha = (c + c2) / 2;
    ceiling.push(Math.round(sha));
    fromDb.push(dbRate);
    fromExport.push(fileRate);
    ratio.db.push(dbRate / sha);
    ratio.export.push(fileRate / sha);
    console.log(
      `  round ${r + 1}/${runs}: sha-256 ceiling ${Math.round(sha)}/s, database ${dbRate}/s (${round(dbRate / sha, 3)}), ` +
        `export ${fileRate}/s (${round(fileRate / sha, 3)})`,
    );
  }
  const target = (t: number) => round(t / ISSUE_SHA_RATE, 2);
  const table: Cell[][] = [
    ['verification', 'entries/s (median)', 'ratio to SHA-256 ceiling', 'target entries/s', 'target ratio'],
    ['SHA-256 of 300 bytes, one thread (ceiling)', median(ceiling), 1, '', ''],
    [
      'from the database (erp audit verify)',
      median(fromDb),
      round(median(ratio.db), 3),
      TARGET.db,
      target(TARGET.db),
    ],
    [
      'from an export file (erp audit verify --file)',
      median(fromExport),
      round(median(ratio.export), 3),
      TARGET.export,
      target(TARGET.export),
    ],
  ];
  writeReport({
    bench: 'audit-verify',
    summary:
      `verify ${median(fromDb)}/s from the database (${round(median(ratio.db), 3)} of SHA-256, target ${target(TARGET.db)}), ` +
      `${median(fromExport)}/s from an export (${round(median(ratio.export), 3)}, target ${target(TARGET.export)}); ` +
      `SHA-256 ceiling ${Math.round(median(ceiling))}/s; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    params: { cluster: cluster.kind, runs, entries, checkpointEvery: CHECKPOINT_EVERY },
    results: { ceiling, fromDb, fromExport, ratio, target: TARGET, issueShaRate: ISSUE_SHA_RATE },
    table,
    notes: [
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ],
  });
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(exitCode);
