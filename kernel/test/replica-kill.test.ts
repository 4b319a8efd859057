// A replica killed under load (issue 18's scale-out evidence, on the PostgreSQL server). Three
// kernel processes serve HTTP behind a round-robin proxy of the test's own (a load balancer without
// health checks: a dead replica's turn answers 502) and run the bus and the jobs, on one database
// and, when the machine has nats-server, a 3-node JetStream cluster started here with the
// namespace's streams at three replicas (else the shared NATS_URL, else the embedded bus). The test
// drives writes that publish events and enqueue jobs through every replica, and clients create
// roles over HTTP through the proxy only, retrying a 502 or a broken response (role names make the
// retry idempotent: 201 or 409). One replica is SIGKILLed while it holds deliveries and jobs (its
// handlers are slow on purpose). Afterwards: no acknowledged write is lost, every committed event is
// handled exactly once per subscription and every committed job runs exactly once, the survivors
// answered every request, the dead replica's leases were taken over within a bounded time, and
// every tenant's audit chain is sealed and verifies.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropNamespace,
  FAST_BUS,
  NATS_URL,
  natsNamespace,
  startWorkerProcess,
  type WorkerProcess,
  waitFor,
} from './support/bus-env.js';
import { createEffectTables, TEST_EVENTS } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { NatsCluster, natsServerBinary } from './support/nats-cluster.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './support/round-robin-proxy.js';

const serverPass = process.env.ERP_TEST_DATABASE_PASS === '1';
const NATS_BINARY = natsServerBinary();
const BUS = NATS_BINARY ? 'a 3-node JetStream cluster' : NATS_URL ? 'JetStream' : 'embedded bus';
const LEASES = { ERP_EVENTS_LEASE_SECONDS: '4', ERP_JOBS_LEASE_SECONDS: '3' };
/** Longest the survivors may take, after the kill, to finish everything the dead replica held. */
const TAKEOVER_BOUND_MS = 30_000;
/** Attempts a client makes for one idempotent write before it counts as failed. */
const ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!serverPass)(`three replicas behind a proxy, one killed under load (${BUS})`, () => {
  const namespace = natsNamespace();
  let k: TestKernel;
  let tenants: TestTenant[];
  let cluster: NatsCluster | undefined;
  let clusterStreams: { leader: string; replicas: number } | undefined;
  let doomed: WorkerProcess;
  let survivors: WorkerProcess[];
  let proxy: RoundRobinProxy;

  beforeAll(async () => {
    if (NATS_BINARY) {
      cluster = await NatsCluster.start(NATS_BINARY);
      clusterStreams = await cluster.createStreams(namespace);
    }
    const natsUrl = cluster?.url ?? NATS_URL;
    const busEnv = {
      ...FAST_BUS,
      ...LEASES,
      ...(natsUrl ? { NATS_URL: natsUrl, ERP_NATS_NAMESPACE: namespace } : {}),
    };
    // The test's own kernel owns the database and the tenants; it runs no background work.
    k = await startTestKernel({ ...busEnv, ERP_BACKGROUND: 'false' });
    await createEffectTables(k.superuser);
    k.container.cradle.events.registry.define('test', TEST_EVENTS);
    tenants = [await createTenant(k), await createTenant(k)];
    const replica = (name: string, handlerDelayMs: number, jobDelayMs: number) =>
      startWorkerProcess(
        {
          ...busEnv,
          DATABASE_URL: k.databaseUrl,
          ERP_TEST_INSTANCE: name,
          ERP_TEST_LISTEN: '1',
          PORT: '0',
          HOST: '127.0.0.1',
        },
        { handlerDelayMs, jobDelayMs },
      );
    // The doomed replica's handlers are slow and its jobs never finish: it always holds work.
    const all = await Promise.all([
      replica('doomed', 150, 600_000),
      replica('survivor-1', 5, 25),
      replica('survivor-2', 5, 25),
    ]);
    [doomed, ...survivors] = all as [WorkerProcess, ...WorkerProcess[]];
    const urls = await Promise.all(all.map((w) => w.request<string>({ cmd: 'url' })));
    // Each replica's readiness probe (direct, as a load balancer's would be) before traffic arrives.
    for (const url of urls)
      for (const t of tenants) {
        const res = await fetch(`${url}/api/v1/iam/roles`, { headers: { authorization: t.auth } });
        expect(res.status).toBe(200);
      }
    proxy = await startRoundRobinProxy(urls);
  }, 110_000);
  afterAll(async () => {
    await proxy?.close();
    await Promise.all([doomed?.kill(), ...(survivors ?? []).map((w) => w.stop())]);
    await k?.close();
    if (cluster) await cluster.close();
    else if (NATS_URL) await dropNamespace(NATS_URL, namespace);
  });

  it('loses and doubles nothing, keeps serving, and hands the dead replica’s work over', async () => {
    const sql = k.superuser;
    let running = true;
    const acknowledged = { events: new Set<string>(), jobs: new Set<string>() };

    // Producers on every replica: events in small transactions, jobs in batches.
    const produce = async (w: WorkerProcess, i: number) => {
      for (let round = 0; running; round++) {
        const tenantId = tenants[(i + round) % 2]!.tenantId;
        try {
          const ids = await w.request<string[]>({ cmd: 'publish', tenantId, count: 5 });
          for (const id of ids) acknowledged.events.add(id);
          const refs = [1, 2, 3].map(() => `j-${randomBytes(6).toString('hex')}`);
          await w.request({ cmd: 'enqueue', tenantId, refs });
          for (const ref of refs) acknowledged.jobs.add(ref);
        } catch {
          if (w === doomed) return; // it died with this request unanswered: not acknowledged
          throw new Error('a survivor refused a write');
        }
        await sleep(20);
      }
    };

    // HTTP clients, through the proxy only: a 502 (the replica in turn is dead) or a response cut
    // off mid-way is retried, which the proxy sends to the next replica.
    const roles: string[] = [];
    const failures: string[] = [];
    const retried = { badGateway: 0, broken: 0 };
    const client = async (c: number) => {
      for (let n = 0; running; n++) {
        const t = tenants[n % 2]!;
        const name = `r-${c}-${n}`;
        let ok = false;
        for (let attempt = 0; attempt < ATTEMPTS && !ok; attempt++) {
          try {
            const res = await fetch(`${proxy.url}/api/v1/iam/roles`, {
              method: 'POST',
              headers: { authorization: t.auth, 'content-type': 'application/json' },
              body: JSON.stringify({ name, permissions: [] }),
              signal: AbortSignal.timeout(10_000),
            });
            const body = await res.text();
            ok = res.status === 201 || res.status === 409;
            if (res.status === 502) retried.badGateway++;
            else if (!ok) {
              failures.push(`${name}: ${res.status} ${body}`);
              break;
            }
          } catch {
            retried.broken++;
          }
        }
        if (ok) roles.push(`${t.tenantId}/${name}`);
        else failures.push(`${name}: no answer in ${ATTEMPTS} attempts`);
      }
    };

    const load = [
      ...[doomed, ...survivors].map((w, i) => produce(w, i)),
      ...[0, 1, 2, 3].map((c) => client(c)),
    ];
    // Kill once the doomed replica has handled events and holds jobs (a claim older than 1 s is
    // its own: the survivors' jobs take 25 ms).
    await waitFor(async () => {
      const r = await sql.query(
        `select (select count(*)::int from erp.jobs where lease is not null and updated_at < now() - interval '1 s') as jobs,
                (select count(*)::int from public.effects where instance = 'doomed' and kind = 'event') as handled`,
      );
      return r.rows[0].jobs > 0 && r.rows[0].handled > 0;
    }, 'the doomed replica to hold work');
    const beforeKill = [...proxy.answered];
    await doomed.kill();
    const atKill = [...proxy.answered];
    const killedAt = Date.now();
    await sleep(3_000);
    running = false;
    await Promise.all(load);

    // The survivors finish everything: the outbox relayed, every delivery and job done. What is
    // left when they do not is named in the failure.
    let left: unknown;
    await waitFor(
      async () => {
        const r = await sql.query(`
          select (select count(*)::int from erp.event_outbox where relayed_at is null) as outbox,
                 (select count(*)::int from erp.event_deliveries) as deliveries,
                 (select count(*)::int from erp.jobs) as jobs,
                 (select count(*)::int from erp.event_outbox o where subject = 'test.thing.happened'
                   and (select count(distinct source) from public.effects e where e.kind = 'event' and e.ref = o.id::text) < 2) as unhandled,
                 (select count(*)::int from erp.audit_pending) as unsealed`);
        const s = r.rows[0];
        left = s;
        return s.outbox + s.deliveries + s.jobs + s.unhandled + s.unsealed === 0;
      },
      'the survivors to finish the dead replica’s work',
      TAKEOVER_BOUND_MS,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; left: ${JSON.stringify(left)}`);
    });
    const takeoverMs = Date.now() - killedAt;

    // HTTP: no write failed; the proxy spread the load over all three before the kill, the dead
    // replica answered nothing after it, the survivors kept answering, and retries were needed.
    expect(failures).toEqual([]);
    expect(beforeKill.every((n) => n > 0)).toBe(true);
    expect(proxy.answered[0]).toBe(atKill[0]);
    expect(proxy.answered.slice(1).every((n, i) => n > atKill[i + 1]!)).toBe(true);
    expect(retried.badGateway).toBeGreaterThan(0);
    expect(proxy.badGateway).toBe(retried.badGateway);

    // Events: every acknowledged one committed; every committed one handled once per subscription.
    const events = await sql.query<{ id: string }>(
      `select id::text from erp.event_outbox where subject = 'test.thing.happened'`,
    );
    const committed = new Set(events.rows.map((r) => r.id));
    expect([...acknowledged.events].filter((id) => !committed.has(id))).toEqual([]);
    const handled = await sql.query<{ ref: string; source: string; n: number }>(
      `select ref, source, count(*)::int as n from public.effects where kind = 'event' group by ref, source`,
    );
    expect(handled.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(handled.rows.length).toBe(committed.size * 2);
    expect(committed.size).toBeGreaterThan(acknowledged.events.size / 2);

    // Jobs: every acknowledged one ran exactly once; so did every other committed one (none is left).
    const jobs = await sql.query<{ ref: string; n: number; attempt: string; instance: string }>(
      `select ref, count(*)::int as n, max(note) as attempt, max(instance) as instance
         from public.effects where kind = 'job' group by ref`,
    );
    expect(jobs.rows.filter((r) => r.n !== 1)).toEqual([]);
    const ran = new Set(jobs.rows.map((r) => r.ref));
    expect([...acknowledged.jobs].filter((ref) => !ran.has(ref))).toEqual([]);
    // The jobs the dead replica held were claimed again by a survivor after their lease.
    expect(jobs.rows.some((r) => r.instance.startsWith('survivor') && Number(r.attempt) >= 2)).toBe(true);

    // HTTP writes: each accepted role exists exactly once.
    const stored = await sql.query<{ key: string; n: number }>(
      `select tenant_id || '/' || name as key, count(*)::int as n from erp.roles where name like 'r-%' group by 1`,
    );
    expect(stored.rows.filter((r) => r.n !== 1)).toEqual([]);
    const storedKeys = new Set(stored.rows.map((r) => r.key));
    expect(roles.filter((key) => !storedKeys.has(key))).toEqual([]);

    // Every tenant's audit chain (role creations from all three replicas, sealed by the survivors) verifies.
    for (const t of tenants) {
      const verdict = await k.container.cradle.audit.verify(t.tenantId);
      expect(verdict, JSON.stringify(verdict)).toMatchObject({ valid: true, problems: [], pending: 0 });
      const created = roles.filter((key) => key.startsWith(`${t.tenantId}/`)).length;
      expect(verdict.entries).toBeGreaterThanOrEqual(created);
    }
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
    const reclaimed = jobs.rows.filter((r) => Number(r.attempt) >= 2).length;
    const nats = clusterStreams
      ? `NATS cluster of 3, streams R${clusterStreams.replicas} (leader ${clusterStreams.leader})`
      : BUS;
    console.info(
      `replica-kill (${nats}): ${roles.length} HTTP writes through the proxy (0 failed; answered ${proxy.answered.join('/')}; ${retried.badGateway} 502s and ${retried.broken} cut-off responses retried), ${committed.size} events (${handled.rows.length} deliveries), ${jobs.rows.length} jobs (${reclaimed} reclaimed); all done ${takeoverMs} ms after the kill`,
    );
  }, 90_000);
});
