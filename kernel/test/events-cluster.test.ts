// Three kernel processes on one database (and one NATS): every event is handled exactly once per
// subscription and every cron period runs once, counted in the database.
import { afterAll, describe, expect, it } from 'vitest';
import {
  dropNamespace,
  FAST_BUS,
  NATS_URL,
  natsNamespace,
  startWorkerProcess,
  type WorkerProcess,
  waitFor,
} from './support/bus-env.js';
import { createEffectTables, publishMany, TEST_EVENTS } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';

const modes = [
  { name: 'embedded bus', nats: false },
  { name: `JetStream${NATS_URL ? '' : ' (skipped: NATS_URL is not set)'}`, nats: true },
];

describe.each(modes)('three kernel processes, $name', ({ nats }) => {
  const namespace = natsNamespace();
  let k: TestKernel | undefined;
  let workers: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await k?.close();
    if (nats && NATS_URL) await dropNamespace(NATS_URL, namespace);
  });

  it.skipIf(nats && !NATS_URL)(
    'handle every event once per subscription and fire every cron period once',
    async () => {
      const busEnv = { ...FAST_BUS, ...(nats ? { NATS_URL: NATS_URL!, ERP_NATS_NAMESPACE: namespace } : {}) };
      // The test process publishes and serves no subscription; the three workers do the work.
      k = await startTestKernel({ ...busEnv, ERP_BACKGROUND: 'false' });
      await createEffectTables(k.superuser);
      k.container.cradle.events.registry.define('test', TEST_EVENTS);
      const tenants = [await createTenant(k), await createTenant(k)];
      workers = await Promise.all(
        [1, 2, 3].map((i) =>
          startWorkerProcess(
            { ...busEnv, DATABASE_URL: k!.databaseUrl, ERP_TEST_INSTANCE: `w${i}` },
            { cron: '* * * * * *', handlerDelayMs: 2 },
          ),
        ),
      );
      const started = Date.now();
      // Publishers in all four processes at once, into both tenants.
      const perProcess = 100;
      await Promise.all([
        publishMany(k.container.cradle, tenants[0]!.tenantId, perProcess, 5),
        ...workers.map((w, i) =>
          w.request({ cmd: 'publish', tenantId: tenants[i % 2]!.tenantId, count: perProcess }),
        ),
      ]);
      const total = perProcess * 4;
      const sql = k.superuser;
      await waitFor(
        async () =>
          (await sql.query(`select count(*)::int as n from public.effects where kind = 'event'`)).rows[0].n >=
          2 * total,
        'every event handled by both subscriptions',
        60_000,
      );
      // Let at least three cron periods pass with all three instances running.
      await new Promise((r) => setTimeout(r, Math.max(0, 3500 - (Date.now() - started))));
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];

      const events = await sql.query(
        `select source, count(*)::int as n, count(distinct ref)::int as d from public.effects
        where kind = 'event' group by source order by source`,
      );
      const published = await sql.query('select count(*)::int as n from erp.event_outbox');
      // On a mismatch, say where: duplicates, queued deliveries or dead letters.
      const why = JSON.stringify({
        published: published.rows[0].n,
        duplicates: (
          await sql.query(
            `select source, ref, count(*)::int as n, array_agg(instance) as instances from public.effects
              where kind = 'event' group by source, ref having count(*) > 1 limit 5`,
          )
        ).rows,
        queued: (await sql.query('select subscriber, attempts, last_error from erp.event_deliveries limit 5'))
          .rows,
        dead: (await sql.query('select subscriber, error from erp.event_dead_letters limit 5')).rows,
      });
      expect(events.rows, why).toEqual([
        { source: 'test:count-a', n: total, d: total },
        { source: 'test:count-b', n: total, d: total },
      ]);
      expect(published.rows[0].n).toBe(total);
      const instances = await sql.query(
        `select count(distinct instance)::int as n from public.effects where kind = 'event'`,
      );
      expect(instances.rows[0].n).toBeGreaterThan(1);

      const ticks = await sql.query(
        `select tenant_id, ref, count(*)::int as n from public.effects where kind = 'tick' group by tenant_id, ref`,
      );
      const periods = new Set(ticks.rows.map((r) => r.ref));
      expect(periods.size).toBeGreaterThanOrEqual(3);
      expect(ticks.rows.every((r) => r.n === 1)).toBe(true);
      // Every period that fired ran for both tenants (or is still queued when the workers stopped).
      const fired = await sql.query(
        `select count(*)::int as n from erp.job_ticks where schedule = 'test.tick'`,
      );
      const queued = await sql.query(`select count(*)::int as n from erp.jobs where name = 'tick'`);
      expect(ticks.rows.length + queued.rows[0].n).toBe(fired.rows[0].n * tenants.length);
    },
    120_000,
  );
});
