// Issue 4's benchmark: what the transactional outbox costs. In one run it measures
//   (a) raw JetStream: the same ~300-byte payloads published (1,000 acks in flight) and consumed
//       by a durable pull consumer with explicit acks, with the same @nats-io client: a baseline;
//   (a') plain INSERTs of the same payload from the same number of writers, each its own
//       transaction: the other baseline (issue 13: the bus at ≥ 0.5 × the slower of the two);
//   (b) the bus on JetStream, end to end: each event published in its own tenant transaction
//       (outbox row), relayed, consumed, and handled in a tenant transaction (inbox row; several
//       deliveries share one under load, a savepoint each), counted when that has committed;
//   (c) the embedded bus (no NATS) end to end, the same way;
//   (d) jobs: pre-enqueued jobs claimed and run, each in its own tenant transaction.
// Runs of the baseline alternate with runs of the bus so drift from other work on the machine hits
// both; medians are reported. Ratios are reported, never asserted.
//
// Environment: DATABASE_URL (else an embedded cluster), NATS_URL (else (a) and (b) are skipped),
// BENCH_EVENTS (events per run, 5000), BENCH_RUNS (3), BENCH_PUBLISHERS (concurrent publishing
// units of work, 16), BENCH_JOBS (jobs per run, 3000).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RunningKernel, startKernel } from '@erp/kernel';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { benchCluster, scratchDatabase } from './support/database.js';
import { BENCH_APP_ROLE, BENCH_SECRET_KEY } from './support/kernel.js';
import { type Cell, writeReport } from './support/report.js';
import { median, round } from './support/stats.js';

const TARGET_RATIO = 0.5;
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const N = int('BENCH_EVENTS', 5000);
const runs = int('BENCH_RUNS', 3);
const publishers = int('BENCH_PUBLISHERS', 16);
const JOBS = int('BENCH_JOBS', 3000);
const natsUrl = process.env.NATS_URL || undefined;

const payload = (i: number) => ({
  itemId: randomUUID(),
  locationId: randomUUID(),
  qty: '12.500',
  lot: `L-${String(i).padStart(8, '0')}`,
  note: 'x'.repeat(160),
});
const payloadSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'locationId', 'qty', 'lot'],
  properties: {
    itemId: { type: 'string', format: 'uuid' },
    locationId: { type: 'string', format: 'uuid' },
    qty: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' },
    lot: { type: 'string' },
    note: { type: 'string' },
  },
};

/** (a) publish n envelopes with 1,000 acks in flight while a durable pull consumer acks them. */
async function rawJetStream(url: string, n: number): Promise<number> {
  const nc = await connect({ servers: url });
  const tag = randomBytes(4).toString('hex');
  const stream = `bench_raw_${tag}`;
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`benchraw${tag}.>`] });
    await jsm.consumers.add(stream, {
      durable_name: 'c',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const js = jetstream(nc);
    const messages = await (await js.consumers.get(stream, 'c')).consume({ max_messages: 1000 });
    const started = performance.now();
    let got = 0;
    const consumed = (async () => {
      for await (const m of messages) {
        m.ack();
        if (++got === n) break;
      }
      return performance.now();
    })();
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < n; i++) {
      const envelope = {
        id: randomUUID(),
        sequence: String(i),
        type: 'bench.item.moved',
        payload: payload(i),
      };
      const p = js.publish(`benchraw${tag}.t.item`, JSON.stringify(envelope), { msgID: envelope.id });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= 1000) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const finished = await consumed;
    return (n / (finished - started)) * 1000;
  } finally {
    await jetstreamManager(nc)
      .then((jsm) => jsm.streams.delete(stream))
      .catch(() => {});
    await nc.close();
  }
}

/**
 * The database's side of the baseline: n plain INSERTs of the same payload from `publishers`
 * concurrent writers, each its own autocommitted (durable) transaction, on a bare pg pool.
 */
async function plainInserts(databaseUrl: string, n: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: publishers });
  try {
    await pool.query(
      'create table if not exists public.bench_plain (id uuid primary key, payload jsonb not null)',
    );
    await pool.query('truncate public.bench_plain');
    await Promise.all(Array.from({ length: publishers }, () => pool.query('select 1')));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: publishers }, async () => {
        while (next < n) {
          const i = next++;
          await pool.query('insert into public.bench_plain (id, payload) values ($1, $2)', [
            randomUUID(),
            JSON.stringify(payload(i)),
          ]);
        }
      }),
    );
    return (n / (performance.now() - started)) * 1000;
  } finally {
    await pool.end();
  }
}

interface Bus {
  kernel: RunningKernel;
  databaseUrl: string;
  tenantId: string;
  dataDir: string;
  committed: number;
  onCommitted?: () => void;
}

async function startBus(databaseUrl: string, nats: { url: string; namespace: string } | null): Promise<Bus> {
  const dataDir = mkdtempSync(join(tmpdir(), 'erp-bench-events-'));
  const kernel = await startKernel(
    loadConfig({
      DATABASE_URL: databaseUrl,
      ERP_DATA_DIR: dataDir,
      ERP_SECRET_KEY: BENCH_SECRET_KEY,
      ERP_DB_APP_ROLE: BENCH_APP_ROLE,
      ERP_DB_POOL_SIZE: String(publishers + 4),
      ERP_WORKER_POOL_SIZE: '24',
      ERP_EVENTS_CONCURRENCY: '16',
      ERP_JOBS_CONCURRENCY: '16',
      ERP_BUS_POLL_MS: '100',
      LOG_LEVEL: 'warn',
      ...(nats ? { NATS_URL: nats.url, ERP_NATS_NAMESPACE: nats.namespace } : {}),
    }),
    { listen: false },
  );
  const owner = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const tenantId = randomUUID();
  try {
    await owner.query('begin');
    await owner.query(`select set_config('erp.tenant_id', $1, true)`, [tenantId]);
    await owner.query(`insert into erp.tenants (id, slug, name) values ($1, $2, 'Bench')`, [
      tenantId,
      `b-${tenantId.slice(0, 8)}`,
    ]);
    await owner.query('commit');
  } finally {
    await owner.end();
  }
  const bus: Bus = { kernel, databaseUrl, tenantId, dataDir, committed: 0 };
  const { events, jobs } = kernel.container.cradle;
  events.registry.define('bench', { 'item.moved': payloadSchema });
  await events.subscribe({
    plugin: 'bench',
    name: 'projection',
    subject: 'bench.item.moved',
    handler: async (sql) => {
      sql.afterCommit(() => {
        bus.committed++;
        bus.onCommitted?.();
      });
    },
  });
  jobs.define({
    plugin: 'bench',
    name: 'work',
    run: async (sql) => {
      sql.afterCommit(() => {
        bus.committed++;
        bus.onCommitted?.();
      });
    },
  });
  return bus;
}

async function stopBus(bus: Bus): Promise<void> {
  await bus.kernel.stop();
  rmSync(bus.dataDir, { recursive: true, force: true });
}

/** Resolves when `count` more handler (or job) transactions have committed. */
function committedAfter(bus: Bus, count: number): Promise<number> {
  const target = bus.committed + count;
  return new Promise((resolve) => {
    bus.onCommitted = () => {
      if (bus.committed >= target) {
        bus.onCommitted = undefined;
        resolve(performance.now());
      }
    };
  });
}

/**
 * The rate at which the publishing units of work of the last busEndToEnd finished (outbox rows
 * committed), measured while the bus delivered: the bus cannot deliver faster than it is fed.
 */
let lastPublishRate = 0;

/** (b), (c): n events, perTx per tenant transaction, from `publishers` concurrent units of work. */
async function busEndToEnd(bus: Bus, n: number, perTx = 1): Promise<number> {
  const { tenantTx, events } = bus.kernel.container.cradle;
  const done = committedAfter(bus, n);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: publishers }, async () => {
      while (next < n) {
        const first = next;
        next = Math.min(n, next + perTx);
        await tenantTx.run(bus.tenantId, async (sql) => {
          for (let i = first; i < Math.min(n, first + perTx); i++) {
            await events.publish(sql, 'bench.item.moved', payload(i));
          }
        });
      }
    }),
  );
  lastPublishRate = (n / (performance.now() - started)) * 1000;
  const finished = await done;
  return (n / (finished - started)) * 1000;
}

/** (d) n jobs queued at once (one insert, as one big unit of work would), then claimed and run. */
async function jobsRun(bus: Bus, n: number): Promise<number> {
  const owner = new pg.Client({ connectionString: bus.databaseUrl });
  await owner.connect();
  const done = committedAfter(bus, n);
  let started: number;
  try {
    await owner.query('begin');
    await owner.query(`select set_config('erp.tenant_id', $1, true)`, [bus.tenantId]);
    await owner.query(
      `insert into erp.jobs (tenant_id, plugin, name, payload, max_attempts)
       select $1, 'bench', 'work', jsonb_build_object('i', g), 5 from generate_series(1, $2) g`,
      [bus.tenantId, n],
    );
    await owner.query(`select pg_notify('erp_jobs', '')`);
    started = performance.now();
    await owner.query('commit');
  } finally {
    await owner.end();
  }
  return (n / ((await done) - started)) * 1000;
}

const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  console.log(
    `events: ${cluster.kind} PostgreSQL, ${natsUrl ? 'NATS' : 'no NATS'}, ${N} events × ${runs} runs, ` +
      `${publishers} publishers, ${JOBS} jobs`,
  );
  const raw: number[] = [];
  const inserts: number[] = [];
  const natsPublishing: number[] = [];
  const embeddedPublishing: number[] = [];
  const onNats: number[] = [];
  const onNatsBatched: number[] = [];
  const embedded: number[] = [];
  const jobRates: number[] = [];

  if (natsUrl) {
    const db = await scratchDatabase(cluster.url);
    cleanup.unshift(() => db.drop());
    const namespace = `bench${randomBytes(4).toString('hex')}`;
    const bus = await startBus(db.url, { url: natsUrl, namespace });
    try {
      await busEndToEnd(bus, Math.min(500, N)); // warm-up: connections, JIT, consumer
      for (let i = 0; i < runs; i++) {
        raw.push(await rawJetStream(natsUrl, N));
        inserts.push(await plainInserts(db.url, N));
        onNats.push(await busEndToEnd(bus, N));
        natsPublishing.push(lastPublishRate);
        onNatsBatched.push(await busEndToEnd(bus, N, 10));
        console.log(
          `  run ${i + 1}/${runs}: raw JetStream ${Math.round(raw.at(-1)!)}/s, plain INSERT ${Math.round(inserts.at(-1)!)}/s, bus on JetStream ${Math.round(onNats.at(-1)!)}/s, ` +
            `10 events per transaction ${Math.round(onNatsBatched.at(-1)!)}/s`,
        );
      }
    } finally {
      await stopBus(bus);
      const nc = await connect({ servers: natsUrl });
      const jsm = await jetstreamManager(nc);
      for (const s of [`${namespace}_events`, `${namespace}_dead_letters`])
        await jsm.streams.delete(s).catch(() => {});
      await nc.close();
    }
  }

  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const bus = await startBus(db.url, null);
  try {
    await busEndToEnd(bus, Math.min(500, N));
    for (let i = 0; i < runs; i++) {
      if (natsUrl) raw.push(await rawJetStream(natsUrl, N));
      inserts.push(await plainInserts(db.url, N));
      embedded.push(await busEndToEnd(bus, N));
      embeddedPublishing.push(lastPublishRate);
      jobRates.push(await jobsRun(bus, JOBS));
      console.log(
        `  run ${i + 1}/${runs}: ${natsUrl ? `raw JetStream ${Math.round(raw.at(-1)!)}/s, ` : ''}` +
          `plain INSERT ${Math.round(inserts.at(-1)!)}/s, embedded bus ${Math.round(embedded.at(-1)!)}/s, jobs ${Math.round(jobRates.at(-1)!)}/s`,
      );
    }
  } finally {
    await stopBus(bus);
  }

  const rawMedian = raw.length ? median(raw) : null;
  const insertMedian = median(inserts);
  // Issue 13's target: the bus at half of the slower of its two halves measured alone.
  const floor = rawMedian ? Math.min(rawMedian, insertMedian) : insertMedian;
  const ratio = (v: number[]) => (v.length ? round(median(v) / floor) : null);
  const table: Cell[][] = [
    ['what', 'median /s', 'runs /s', `ratio to min(raw JetStream, plain INSERT) (target ≥ ${TARGET_RATIO})`],
    [
      'raw JetStream publish + consume',
      rawMedian && Math.round(rawMedian),
      raw.map(Math.round).join(' '),
      rawMedian ? round(rawMedian / floor) : 'skipped (no NATS_URL)',
    ],
    [
      `plain INSERT, ${publishers} writers`,
      Math.round(insertMedian),
      inserts.map(Math.round).join(' '),
      round(insertMedian / floor),
    ],
    [
      'bus on JetStream, end to end',
      onNats.length ? Math.round(median(onNats)) : null,
      onNats.map(Math.round).join(' '),
      ratio(onNats) ?? 'skipped',
    ],
    [
      'bus on JetStream, 10 events per publishing transaction',
      onNatsBatched.length ? Math.round(median(onNatsBatched)) : null,
      onNatsBatched.map(Math.round).join(' '),
      ratio(onNatsBatched) ?? 'skipped',
    ],
    [
      'embedded bus, end to end',
      Math.round(median(embedded)),
      embedded.map(Math.round).join(' '),
      ratio(embedded),
    ],
    [
      'publishing units of work alone, during the JetStream runs (BEGIN, outbox INSERT, COMMIT)',
      natsPublishing.length ? Math.round(median(natsPublishing)) : null,
      natsPublishing.map(Math.round).join(' '),
      ratio(natsPublishing) ?? 'skipped',
    ],
    [
      'publishing units of work alone, during the embedded runs',
      Math.round(median(embeddedPublishing)),
      embeddedPublishing.map(Math.round).join(' '),
      ratio(embeddedPublishing),
    ],
    [
      'jobs run (own transaction each)',
      Math.round(median(jobRates)),
      jobRates.map(Math.round).join(' '),
      null,
    ],
  ];
  const summary = `${rawMedian ? `JetStream bus ${ratio(onNats)} (10 events per transaction ${ratio(onNatsBatched)}), ` : ''}embedded bus ${ratio(embedded)} of min(raw JetStream, plain INSERT) = ${Math.round(floor)}/s (target ≥ ${TARGET_RATIO}); end to end / publishing alone: JetStream ${natsPublishing.length ? round(median(onNats) / median(natsPublishing)) : 'n/a'}, embedded ${round(median(embedded) / median(embeddedPublishing))}; jobs ${Math.round(median(jobRates))}/s`;
  writeReport({
    bench: 'events',
    summary,
    params: {
      cluster: cluster.kind,
      nats: Boolean(natsUrl),
      events: N,
      runs,
      publishers,
      jobs: JOBS,
      payloadBytes: JSON.stringify(payload(0)).length,
    },
    results: {
      rawJetStream: raw,
      plainInserts: inserts,
      busOnJetStream: onNats,
      busOnJetStream10PerTx: onNatsBatched,
      embeddedBus: embedded,
      publishingDuringJetStream: natsPublishing,
      publishingDuringEmbedded: embeddedPublishing,
      jobs: jobRates,
      ratios: { jetstream: ratio(onNats), jetstream10PerTx: ratio(onNatsBatched), embedded: ratio(embedded) },
    },
    table,
    notes: [
      'Publishing alone: when the last publishing unit of work of a run committed. The bus delivers as fast as it is fed when end to end / publishing alone is near 1; the rest of the gap to plain INSERT is the publishing unit of work itself (3 round trips: BEGIN with the tenant, INSERT, COMMIT, against 1 for an autocommitted INSERT).',
      'Bus figures: one event per publishing transaction; the subscriber does no work of its own beyond its transaction and inbox row.',
      'Jobs: enqueued beforehand, 100 per transaction; the rate is of claiming and running them.',
    ],
  });
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(exitCode);
