// A replica killed under load (issue 18's scale-out evidence, two replicas on the PostgreSQL server
// and NATS when NATS_URL is set). Two kernel processes serve HTTP and run the bus and the jobs;
// the test drives writes that publish events and enqueue jobs through both, and creates roles over
// HTTP through both, a client retrying a failed request on the other replica (role names make the
// retry idempotent: 201 or 409). One replica is SIGKILLed while it holds deliveries and jobs
// (its handlers are slow on purpose). Afterwards: no acknowledged write is lost, every committed
// event is handled exactly once per subscription and every committed job runs exactly once,
// the survivor answered every request, the dead replica's leases were taken over within a bounded
// time, and every tenant's audit chain is sealed and verifies.
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

const serverPass = process.env.ERP_TEST_DATABASE_PASS === '1';
const LEASES = { ERP_EVENTS_LEASE_SECONDS: '4', ERP_JOBS_LEASE_SECONDS: '3' };
/** Longest the survivor may take, after the kill, to finish everything the dead replica held. */
const TAKEOVER_BOUND_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!serverPass)(
  `a replica killed under load (${NATS_URL ? 'JetStream' : 'embedded bus'})`,
  () => {
    const namespace = natsNamespace();
    let k: TestKernel;
    let tenants: TestTenant[];
    let doomed: WorkerProcess;
    let survivor: WorkerProcess;
    let urls: string[];

    beforeAll(async () => {
      const busEnv = {
        ...FAST_BUS,
        ...LEASES,
        ...(NATS_URL ? { NATS_URL, ERP_NATS_NAMESPACE: namespace } : {}),
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
      [doomed, survivor] = await Promise.all([replica('doomed', 150, 600_000), replica('survivor', 5, 25)]);
      urls = await Promise.all([
        doomed.request<string>({ cmd: 'url' }),
        survivor.request<string>({ cmd: 'url' }),
      ]);
      // Warm each replica up as a readiness probe and a first request would before traffic arrives.
      for (const url of urls)
        for (const t of tenants) {
          const res = await fetch(`${url}/api/v1/iam/roles`, { headers: { authorization: t.auth } });
          expect(res.status).toBe(200);
        }
    });
    afterAll(async () => {
      await Promise.all([doomed?.kill(), survivor?.stop()]);
      await k?.close();
      if (NATS_URL) await dropNamespace(NATS_URL, namespace);
    });

    it('loses and doubles nothing, keeps serving, and hands the dead replica’s work over', async () => {
      const sql = k.superuser;
      let running = true;
      const acknowledged = { events: new Set<string>(), jobs: new Set<string>() };
      const replicas = [doomed, survivor];

      // Producers on both replicas: events in small transactions, jobs in batches.
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
            throw new Error('the survivor refused a write');
          }
          await sleep(20);
        }
      };

      // HTTP clients: each write goes to the replicas in turn; a failed attempt is retried on the other.
      const roles: string[] = [];
      const failures: string[] = [];
      let answeredBySurvivorAfterKill = 0;
      let killedAt = 0;
      const client = async (c: number) => {
        for (let n = 0; running; n++) {
          const t = tenants[n % 2]!;
          const name = `r-${c}-${n}`;
          let ok = false;
          for (let attempt = 0; attempt < 2 && !ok; attempt++) {
            const target = (c + n + attempt) % 2;
            try {
              const res = await fetch(`${urls[target]}/api/v1/iam/roles`, {
                method: 'POST',
                headers: { authorization: t.auth, 'content-type': 'application/json' },
                body: JSON.stringify({ name, permissions: [] }),
                signal: AbortSignal.timeout(10_000),
              });
              ok = res.status === 201 || res.status === 409;
              if (ok && target === 1 && killedAt) answeredBySurvivorAfterKill++;
              if (!ok) failures.push(`${name} on ${target}: ${res.status} ${await res.text()}`);
            } catch (err) {
              if (target === 1) failures.push(`${name} on the survivor: ${String(err)}`);
            }
          }
          if (ok) roles.push(`${t.tenantId}/${name}`);
          else failures.push(`${name}: failed on both replicas`);
        }
      };

      const load = [...replicas.map((w, i) => produce(w, i)), ...[0, 1, 2, 3].map((c) => client(c))];
      // Kill once the doomed replica has handled events and holds jobs (a claim older than 1 s is
      // its own: the survivor's jobs take 25 ms).
      await waitFor(async () => {
        const r = await sql.query(
          `select (select count(*)::int from erp.jobs where lease is not null and updated_at < now() - interval '1 s') as jobs,
                (select count(*)::int from public.effects where instance = 'doomed' and kind = 'event') as handled`,
        );
        return r.rows[0].jobs > 0 && r.rows[0].handled > 0;
      }, 'the doomed replica to hold work');
      await doomed.kill();
      killedAt = Date.now();
      await sleep(3_000);
      running = false;
      await Promise.all(load);

      // The survivor finishes everything: the outbox relayed, every delivery and job done.
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
          return s.outbox + s.deliveries + s.jobs + s.unhandled + s.unsealed === 0;
        },
        'the survivor to finish the dead replica’s work',
        TAKEOVER_BOUND_MS,
      );
      const takeoverMs = Date.now() - killedAt;

      expect(failures).toEqual([]);
      expect(answeredBySurvivorAfterKill).toBeGreaterThan(0);

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
      // The jobs the dead replica held were claimed again by the survivor after their lease.
      expect(jobs.rows.some((r) => r.instance === 'survivor' && Number(r.attempt) >= 2)).toBe(true);

      // HTTP writes: each accepted role exists exactly once.
      const stored = await sql.query<{ key: string; n: number }>(
        `select tenant_id || '/' || name as key, count(*)::int as n from erp.roles where name like 'r-%' group by 1`,
      );
      expect(stored.rows.filter((r) => r.n !== 1)).toEqual([]);
      const storedKeys = new Set(stored.rows.map((r) => r.key));
      expect(roles.filter((key) => !storedKeys.has(key))).toEqual([]);

      // Every tenant's audit chain (role creations from both replicas, sealed by the survivor) verifies.
      for (const t of tenants) {
        const verdict = await k.container.cradle.audit.verify(t.tenantId);
        expect(verdict, JSON.stringify(verdict)).toMatchObject({ valid: true, problems: [], pending: 0 });
        const created = roles.filter((key) => key.startsWith(`${t.tenantId}/`)).length;
        expect(verdict.entries).toBeGreaterThanOrEqual(created);
      }
      expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
      const reclaimed = jobs.rows.filter((r) => Number(r.attempt) >= 2).length;
      console.info(
        `replica-kill: ${committed.size} events (${handled.rows.length} deliveries), ${jobs.rows.length} jobs (${reclaimed} reclaimed), ${roles.length} HTTP writes; all done ${takeoverMs} ms after the kill`,
      );
    }, 60_000);
  },
);
