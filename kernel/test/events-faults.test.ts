// Faults: NATS killed during a burst of publishes and started again, Postgres restarted while
// handlers run. Zero events lost, zero duplicate effects.
import { afterEach, describe, expect, it } from 'vitest';
import {
  dropNamespace,
  FAST_BUS,
  NATS_URL,
  natsNamespace,
  PrivateNats,
  ThrowawayPostgres,
  waitFor,
} from './support/bus-env.js';
import { createEffectTables, installTestPlugin, publishMany } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function effectCounts(k: TestKernel) {
  const r = await k.superuser.query(
    `select source, count(*)::int as n, count(distinct ref)::int as d from public.effects
      where kind = 'event' group by source order by source`,
  );
  return r.rows;
}

describe('bus faults', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
  });

  it.skipIf(!NATS_URL)(
    `NATS killed during a burst and started again: nothing lost, nothing doubled${NATS_URL ? '' : ' (skipped: NATS_URL is not set)'}`,
    async () => {
      const nats = await PrivateNats.start();
      cleanup.push(() => nats.close());
      const env = { ...FAST_BUS, NATS_URL: nats.url, ERP_NATS_NAMESPACE: 'faults' };
      const k1 = await startTestKernel(env);
      cleanup.push(() => k1.close());
      await createEffectTables(k1.superuser);
      const k2 = await startTestKernel({ ...env, DATABASE_URL: k1.databaseUrl });
      cleanup.push(() => k2.close());
      for (const k of [k1, k2]) await installTestPlugin(k.container.cradle);
      const t = await createTenant(k1);

      const total = 300;
      const burst = publishMany(k1.container.cradle, t.tenantId, total, 3);
      await waitFor(async () => {
        const r = await k1.superuser.query('select count(*)::int as n from erp.event_outbox');
        return r.rows[0].n >= total / 3;
      }, 'a third of the burst');
      await nats.kill();
      await sleep(1000);
      const during = await k1.app.inject({ method: 'GET', url: '/health/ready' });
      expect(during.statusCode).toBe(503);
      await nats.start();
      await burst;
      await waitFor(
        async () =>
          (await effectCounts(k1)).every((r) => r.n >= total) && (await effectCounts(k1)).length === 2,
        'all effects',
        60_000,
      );
      await sleep(500);
      expect(await effectCounts(k1)).toEqual([
        { source: 'test:count-a', n: total, d: total },
        { source: 'test:count-b', n: total, d: total },
      ]);
      await waitFor(
        async () => (await k1.app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200,
        'ready again',
      );
    },
    120_000,
  );

  const modes = [
    { name: 'embedded bus', nats: false },
    { name: `JetStream${NATS_URL ? '' : ' (skipped: NATS_URL is not set)'}`, nats: true },
  ];
  for (const { name, nats } of modes) {
    it.skipIf(nats && !NATS_URL)(
      `Postgres restarted while handlers run (${name}): effects happen once`,
      async () => {
        const pg = await ThrowawayPostgres.start();
        cleanup.push(() => pg.close());
        const namespace = natsNamespace();
        if (nats) cleanup.push(() => dropNamespace(NATS_URL!, namespace));
        const k = await startTestKernel({
          ...FAST_BUS,
          ...(nats ? { NATS_URL: NATS_URL!, ERP_NATS_NAMESPACE: namespace } : {}),
          DATABASE_URL: pg.url,
        });
        cleanup.push(() => k.close());
        k.superuser.on('error', () => {}); // its idle connections die with the restart
        await createEffectTables(k.superuser);
        await installTestPlugin(k.container.cradle, { handlerDelayMs: 20 });
        const t = await createTenant(k);
        const total = 150;
        await publishMany(k.container.cradle, t.tenantId, total, 10);
        await waitFor(async () => {
          const rows = await effectCounts(k);
          return rows.reduce((a, r) => a + r.n, 0) >= 40;
        }, 'handlers running');
        await pg.stop();
        await sleep(500);
        await pg.start();
        await waitFor(
          async () => {
            const rows = await effectCounts(k);
            return rows.length === 2 && rows.every((r) => r.n >= total);
          },
          'all effects after the restart',
          60_000,
        );
        await sleep(500);
        expect(await effectCounts(k)).toEqual([
          { source: 'test:count-a', n: total, d: total },
          { source: 'test:count-b', n: total, d: total },
        ]);
        const dead = await k.superuser.query('select count(*)::int as n from erp.event_dead_letters');
        expect(dead.rows[0].n).toBe(0);
      },
      120_000,
    );
  }
});
