// Issue 3's benchmark: what the tamper-evident audit log costs, and which chaining design to keep.
// In one run, on a real kernel (in this process, no HTTP) and its database:
//   1. append throughput with 16 concurrent writers, each unit of work one audit entry, for
//      (a) a plain INSERT of the same row into an unchained table with the same RLS (the baseline),
//      (b) the sealer design the kernel uses (one INSERT into the pending queue; the kernel's
//          sealer chains committed rows in the background while the writers run), and
//      (c) chaining inside each request: as its last statement the unit of work locks the
//          tenant's head row (SELECT … FOR UPDATE, the per-tenant lock), hashes, inserts the
//          chained entry and moves the head, holding the lock until COMMIT;
//      each on one hot tenant and spread over 1,000 tenants;
//   2. verification throughput (entries/s): in memory, from the database, and from an export file;
//   3. the latency a mutating unit of work gains (p50/p99) when it also records an entry, either way.
// Variants alternate within each round and medians over the rounds are reported. Ratios are
// reported, never asserted: the run fails only on errors.
//
// Environment: DATABASE_URL (else an embedded cluster), BENCH_DURATION (seconds per run, 4),
// BENCH_RUNS (3), BENCH_WRITERS (16), BENCH_VERIFY_ENTRIES (200000, the in-memory chain).
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, loadConfig, type RunningKernel, startKernel } from '@erp/kernel';
import { benchCluster, scratchDatabase } from './support/database.js';
import { BENCH_APP_ROLE, BENCH_SECRET_KEY } from './support/kernel.js';
import { type Cell, writeReport } from './support/report.js';
import { median, round } from './support/stats.js';

const TARGET_RATIO = 0.5;
const TARGET_VERIFY = 200_000;
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const durationSeconds = int('BENCH_DURATION', 4);
const runs = int('BENCH_RUNS', 3);
const writers = int('BENCH_WRITERS', 16);
const verifyEntries = int('BENCH_VERIFY_ENTRIES', 200_000);

type Kernel = RunningKernel;
type Sql = Parameters<Parameters<Kernel['container']['cradle']['tenantTx']['run']>[1]>[0];
type Variant = 'plain' | 'sealer' | 'inRequest';
const VARIANTS: Variant[] = ['plain', 'sealer', 'inRequest'];
const LABEL: Record<Variant, string> = {
  plain: 'plain INSERT (baseline)',
  sealer: 'sealer (chosen)',
  inRequest: 'in-request chain',
};

interface RunResult {
  tps: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** `writers` loops running units of work back to back for `seconds`. */
async function drive(
  k: Kernel,
  seconds: number,
  pick: () => string,
  work: (sql: Sql, i: number) => Promise<unknown>,
): Promise<RunResult> {
  const { tenantTx } = k.container.cradle;
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await tenantTx.run(pick(), (sql) => work(sql, w));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    tps: latencies.length / elapsed,
    p50Ms: round(pct(latencies, 0.5), 2),
    p99Ms: round(pct(latencies, 0.99), 2),
    count: latencies.length,
  };
}

const entryInput = (w: number): audit.AuditRecordInput => ({
  actor: { type: 'user', id: '7c2f4a52-5b8e-4d7e-9a3f-0c1d2e3f4a5b' },
  action: 'iam.user.updated',
  resource: { type: 'user', id: `writer-${w}` },
  change: {
    before: { displayName: 'Before', status: 'active' },
    after: { displayName: `After ${w}`, status: 'active' },
  },
  requestId: '4f6c8a2e-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
  clientIp: '127.0.0.1',
});

const COLUMNS = `tenant_id, actor_type, actor_id, actor_user_id, action, resource_type, resource_id, request_id,
                 client_ip, change`;
function rowParams(sql: Sql, e: audit.AuditRecordInput): unknown[] {
  return [
    sql.tenantId,
    e.actor.type,
    e.actor.id,
    e.actor.userId ?? null,
    e.action,
    e.resource.type,
    e.resource.id ?? null,
    e.requestId ?? null,
    e.clientIp ?? null,
    audit.canonicalJson(e.change ?? null),
  ];
}

/** The baseline: the same row, one INSERT, into a table like the pending queue (same RLS). */
async function plainAppend(sql: Sql, e: audit.AuditRecordInput): Promise<void> {
  await sql.query(
    `insert into erp.bench_audit_plain (${COLUMNS}) values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    rowParams(sql, e),
  );
}

/** The alternative design: chain inside the unit of work, under the tenant's head row lock. */
async function inRequestAppend(sql: Sql, e: audit.AuditRecordInput): Promise<void> {
  const head = await sql.one<{ seq: string; hash: Buffer; frontier: Buffer[]; now: Date }>(
    `select seq, hash, frontier, date_trunc('milliseconds', now()) as now
       from erp.audit_heads where tenant_id = $1 for update`,
    [sql.tenantId],
  );
  const seq = Number(head!.seq) + 1;
  const changeText = audit.canonicalJson(e.change ?? null);
  const entry = {
    tenantId: sql.tenantId,
    seq,
    occurredAt: head!.now.toISOString(),
    actor: { type: e.actor.type, id: e.actor.id, userId: e.actor.userId ?? null },
    action: e.action,
    resource: { type: e.resource.type, id: e.resource.id ?? null },
    requestId: e.requestId ?? null,
    clientIp: e.clientIp ?? null,
    change: e.change ?? null,
  };
  const hash = audit.entryHash(head!.hash, entry, changeText);
  const frontier = new audit.MerkleFrontier(head!.frontier, seq - 1);
  frontier.append(audit.leafHash(hash));
  await sql.query(
    `with e as (
       insert into erp.audit_entries (${COLUMNS}, occurred_at, seq, prev_hash, hash)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10, $11, $12, $13, $14))
     update erp.audit_heads set seq = $12, hash = $14, frontier = $15::bytea[], updated_at = now() where tenant_id = $1`,
    [...rowParams(sql, e), head!.now, seq, head!.hash, hash, frontier.state],
  );
}

async function createTenants(k: Kernel, n: number, prefix: string): Promise<string[]> {
  const { rows } = await k.container.cradle.db.owner.query<{ id: string }>(
    `insert into erp.tenants (id, slug, name)
     select gen_random_uuid(), $1 || '-' || g, 'Bench ' || g from generate_series(1, $2::int) g returning id`,
    [prefix, n],
  );
  const ids = rows.map((r) => r.id);
  await k.container.cradle.db.owner.query(
    'insert into erp.audit_heads (tenant_id) select unnest($1::uuid[])',
    [ids],
  );
  return ids;
}

/** One user per writer in a tenant (each writer updates its own row: no business-row contention). */
async function createUsers(k: Kernel, tenantId: string): Promise<string[]> {
  const { rows } = await k.container.cradle.db.owner.query<{ id: string }>(
    `insert into erp.users (tenant_id, email, password_hash)
     select $1, 'writer' || g || '@bench.test', 'x' from generate_series(1, $2::int) g returning id`,
    [tenantId, writers],
  );
  return rows.map((r) => r.id);
}

async function count(k: Kernel, table: string, tenants: string[]): Promise<number> {
  const { rows } = await k.container.cradle.db.owner.query<{ n: string }>(
    `select count(*) as n from ${table} where tenant_id = any($1::uuid[])`,
    [tenants],
  );
  return Number(rows[0]!.n);
}

function memoryChain(n: number): audit.SealedEntry[] {
  const tenantId = '6f1f7a9e-3d2b-4c55-9a51-2b7a0e1c9d11';
  const out: audit.SealedEntry[] = [];
  let prev: Buffer = audit.GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const input = entryInput(seq % writers);
    const changeText = audit.canonicalJson(input.change ?? null);
    const e = {
      tenantId,
      seq,
      occurredAt: new Date(1_750_000_000_000 + seq).toISOString(),
      actor: { type: input.actor.type, id: input.actor.id, userId: null },
      action: input.action,
      resource: { type: input.resource.type, id: input.resource.id ?? null },
      requestId: input.requestId ?? null,
      clientIp: input.clientIp ?? null,
      change: input.change ?? null,
    };
    const hash = audit.entryHash(prev, e, changeText);
    out.push({ ...e, changeText, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));

const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-bench-audit-'));
  cleanup.unshift(async () => rmSync(dataDir, { recursive: true, force: true }));
  console.log(
    `audit: ${cluster.kind} PostgreSQL, ${writers} writers, ${runs}×${durationSeconds}s per variant`,
  );

  const k = await startKernel(
    loadConfig({
      DATABASE_URL: db.url,
      ERP_DATA_DIR: dataDir,
      ERP_SECRET_KEY: BENCH_SECRET_KEY,
      ERP_DB_APP_ROLE: BENCH_APP_ROLE,
      ERP_DB_POOL_SIZE: String(writers + 4),
      LOG_LEVEL: 'warn',
      ERP_AUDIT_CHECKPOINT_ENTRIES: '10000',
      ERP_AUDIT_CHECKPOINT_SECONDS: '60',
      ERP_AUDIT_SEAL_INTERVAL_MS: '250',
    }),
    { listen: false },
  );
  cleanup.unshift(() => k.stop());
  const { db: kdb, audit: log, auditSealer } = k.container.cradle;
  await kdb.owner.query(`
    create table erp.bench_audit_plain (like erp.audit_pending including all);
    alter table erp.bench_audit_plain enable row level security;
    alter table erp.bench_audit_plain force row level security;
    create policy tenant_isolation on erp.bench_audit_plain
      using (tenant_id = erp.current_tenant()) with check (tenant_id = erp.current_tenant());
    grant select, insert on erp.bench_audit_plain to erp_kernel_app;
  `);
  // Separate tenants per design, so the sealer never competes with the in-request variant.
  const sets = {
    sealer: { hot: (await createTenants(k, 1, 'hot-s'))[0]!, many: await createTenants(k, 1000, 'many-s') },
    inRequest: {
      hot: (await createTenants(k, 1, 'hot-r'))[0]!,
      many: await createTenants(k, 1000, 'many-r'),
    },
    plain: { hot: (await createTenants(k, 1, 'hot-p'))[0]!, many: await createTenants(k, 1000, 'many-p') },
  };
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const append: Record<Variant, (sql: Sql, w: number) => Promise<unknown>> = {
    plain: (sql, w) => plainAppend(sql, entryInput(w)),
    sealer: (sql, w) => log.record(sql, entryInput(w)),
    inRequest: (sql, w) => inRequestAppend(sql, entryInput(w)),
  };

  // 1. Append throughput.
  const modes = ['hot', 'many'] as const;
  const results: Record<(typeof modes)[number], Record<Variant, RunResult[]>> = {
    hot: { plain: [], sealer: [], inRequest: [] },
    many: { plain: [], sealer: [], inRequest: [] },
  };
  const sealing: { mode: string; appended: number; sealedDuring: number; drainMs: number }[] = [];
  for (let round = 0; round < runs; round++) {
    for (const mode of modes) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const v of order) {
        const set = sets[v];
        const pick = mode === 'hot' ? () => set.hot : () => set.many[rand(set.many.length)]!;
        await drive(k, 0.5, pick, append[v]); // warm-up
        const tenants = mode === 'hot' ? [set.hot] : set.many;
        const sealedBefore = v === 'sealer' ? await count(k, 'erp.audit_entries', tenants) : 0;
        const r = await drive(k, durationSeconds, pick, append[v]);
        results[mode][v].push(r);
        if (v === 'sealer') {
          const sealedDuring = (await count(k, 'erp.audit_entries', tenants)) - sealedBefore;
          const t0 = performance.now();
          await auditSealer.flush();
          sealing.push({
            mode,
            appended: r.count,
            sealedDuring,
            drainMs: Math.round(performance.now() - t0),
          });
        }
        console.log(
          `  round ${round + 1}/${runs} ${mode === 'hot' ? 'hot tenant ' : '1000 tenants'} ${LABEL[v].padEnd(24)} ` +
            `${Math.round(r.tps)} tx/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms`,
        );
      }
    }
  }
  await auditSealer.flush();
  const med = (mode: (typeof modes)[number], v: Variant, f: keyof RunResult) =>
    round(median(results[mode][v].map((r) => r[f])), 2);
  const ratio = (mode: (typeof modes)[number], v: Variant) =>
    round(median(results[mode][v].map((r, i) => r.tps / results[mode].plain[i]!.tps)), 3);

  // 2. Added latency of a mutating unit of work (hot tenant, each writer updating its own user).
  const users = {
    plain: await createUsers(k, sets.plain.hot),
    sealer: await createUsers(k, sets.sealer.hot),
    inRequest: await createUsers(k, sets.inRequest.hot),
  };
  const mutate = (v: Variant) => async (sql: Sql, w: number) => {
    await sql.query(
      "update erp.users set display_name = 'n' || $3, updated_at = now() where tenant_id = $1 and id = $2",
      [sql.tenantId, users[v][w], w],
    );
    if (v === 'sealer') await log.record(sql, entryInput(w));
    if (v === 'inRequest') await inRequestAppend(sql, entryInput(w));
  };
  const latency: Record<Variant, RunResult[]> = { plain: [], sealer: [], inRequest: [] };
  for (let round = 0; round < runs; round++) {
    for (const v of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!)) {
      await drive(k, 0.5, () => sets[v].hot, mutate(v));
      latency[v].push(await drive(k, durationSeconds, () => sets[v].hot, mutate(v)));
    }
  }
  await auditSealer.flush();
  const lat = (v: Variant, f: 'p50Ms' | 'p99Ms') => round(median(latency[v].map((r) => r[f])), 2);

  // 3. Verification throughput.
  const chain = memoryChain(verifyEntries);
  const memory: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const v = new audit.ChainVerifier({ tenantId: chain[0]!.tenantId, trusted: [], checkpoints: [] });
    for (const e of chain) v.push(e);
    if (!v.finish().valid) throw new Error('in-memory chain did not verify');
    memory.push(perSecond(chain.length, performance.now() - t0));
  }
  const fromDb: number[] = [];
  const hotTenant = sets.sealer.hot;
  let dbEntries = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await log.verify(hotTenant);
    if (!r.valid)
      throw new Error(`hot tenant chain did not verify: ${JSON.stringify(r.problems.slice(0, 3))}`);
    dbEntries = r.entries;
    fromDb.push(perSecond(r.entries, performance.now() - t0));
  }
  const exportFile = join(dataDir, 'hot.ndjson');
  const fh = await open(exportFile, 'w');
  await log.export(hotTenant, (line) => fh.write(`${line}\n`).then(() => undefined));
  await fh.close();
  const fromExport: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const exp = await audit.openExport(exportFile);
    const v = new audit.ChainVerifier({
      tenantId: hotTenant,
      trusted: log.keys.trusted,
      checkpoints: exp.checkpoints,
    });
    let n = 0;
    for await (const e of exp.entries()) {
      v.push(e);
      n += 1;
    }
    if (!v.finish().valid) throw new Error('export did not verify');
    fromExport.push(perSecond(n, performance.now() - t0));
  }
  const inRequestValid = (await log.verify(sets.inRequest.hot)).valid;
  if (!inRequestValid) throw new Error('the in-request variant produced an invalid chain');

  const table: Cell[][] = [
    ['measure', LABEL.plain, LABEL.sealer, LABEL.inRequest, 'sealer ratio', 'in-request ratio'],
    ...modes.map((mode): Cell[] => [
      `append tx/s, ${mode === 'hot' ? 'one hot tenant' : '1,000 tenants'}`,
      Math.round(med(mode, 'plain', 'tps')),
      Math.round(med(mode, 'sealer', 'tps')),
      Math.round(med(mode, 'inRequest', 'tps')),
      ratio(mode, 'sealer'),
      ratio(mode, 'inRequest'),
    ]),
    ...modes.map((mode): Cell[] => [
      `append p99 ms, ${mode === 'hot' ? 'one hot tenant' : '1,000 tenants'}`,
      med(mode, 'plain', 'p99Ms'),
      med(mode, 'sealer', 'p99Ms'),
      med(mode, 'inRequest', 'p99Ms'),
      '',
      '',
    ]),
    [
      'mutating unit of work p50 ms',
      lat('plain', 'p50Ms'),
      lat('sealer', 'p50Ms'),
      lat('inRequest', 'p50Ms'),
      '',
      '',
    ],
    [
      'mutating unit of work p99 ms',
      lat('plain', 'p99Ms'),
      lat('sealer', 'p99Ms'),
      lat('inRequest', 'p99Ms'),
      '',
      '',
    ],
    [
      'added p99 ms',
      0,
      round(lat('sealer', 'p99Ms') - lat('plain', 'p99Ms'), 2),
      round(lat('inRequest', 'p99Ms') - lat('plain', 'p99Ms'), 2),
      '',
      '',
    ],
  ];
  const verifyTable: Cell[][] = [
    ['verification', 'entries', 'entries/s (median)'],
    ['in memory (chain verifier alone)', chain.length, median(memory)],
    ['from the database (erp audit verify)', dbEntries, median(fromDb)],
    ['from an export file (offline)', dbEntries, median(fromExport)],
  ];
  const hotRatio = ratio('hot', 'sealer');
  const manyRatio = ratio('many', 'sealer');
  const verifyRate = median(fromDb);
  console.log(`\n${'' /* the report helper prints the main table */}`);
  writeReport({
    bench: 'audit',
    summary:
      `append ratio sealer hot ${hotRatio} / 1000 tenants ${manyRatio}, in-request hot ${ratio('hot', 'inRequest')} / ` +
      `1000 tenants ${ratio('many', 'inRequest')} (target ≥ ${TARGET_RATIO}); ` +
      `verify ${median(memory)}/s in memory, ${verifyRate}/s from the database (target ≥ ${TARGET_VERIFY}); ` +
      `added p99 sealer ${round(lat('sealer', 'p99Ms') - lat('plain', 'p99Ms'), 2)} ms, ` +
      `in-request ${round(lat('inRequest', 'p99Ms') - lat('plain', 'p99Ms'), 2)} ms`,
    params: { cluster: cluster.kind, writers, durationSeconds, runs, verifyEntries, dbPool: writers + 4 },
    results: {
      append: results,
      ratios: {
        hot: { sealer: hotRatio, inRequest: ratio('hot', 'inRequest') },
        many: { sealer: manyRatio, inRequest: ratio('many', 'inRequest') },
        target: TARGET_RATIO,
      },
      sealing,
      latency,
      verify: { memory, fromDb, fromExport, dbEntries, target: TARGET_VERIFY },
    },
    table,
    notes: [
      `verification:\n${verifyTable.map((r) => r.join('  |  ')).join('\n')}`,
      `sealer while appending: ${sealing
        .map(
          (s) =>
            `${s.mode} sealed ${s.sealedDuring}/${s.appended} during the run, drained the rest in ${s.drainMs} ms`,
        )
        .join('; ')}`,
    ],
  });
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(exitCode);
