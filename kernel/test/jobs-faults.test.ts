// An instance killed while it holds jobs: after the lease the jobs are claimed again and each
// runs once (its effects committed once).
import { afterAll, describe, expect, it } from 'vitest';
import { FAST_BUS, startWorkerProcess, type WorkerProcess, waitFor } from './support/bus-env.js';
import { createEffectTables, installTestPlugin } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';

describe('jobs of a killed instance', () => {
  let k: TestKernel | undefined;
  let worker: WorkerProcess | undefined;
  afterAll(async () => {
    await worker?.kill();
    await k?.close();
  });

  it('are reclaimed after their lease and run once', async () => {
    const env = { ...FAST_BUS, ERP_JOBS_LEASE_SECONDS: '2' };
    // This instance defines no job yet, so it claims nothing until the worker is dead.
    k = await startTestKernel(env);
    await createEffectTables(k.superuser);
    const t = await createTenant(k);
    worker = await startWorkerProcess(
      { ...env, DATABASE_URL: k.databaseUrl, ERP_JOBS_CONCURRENCY: '6', ERP_TEST_INSTANCE: 'doomed' },
      { jobDelayMs: 600_000, subscriptions: [] },
    );
    const refs = ['j1', 'j2', 'j3', 'j4', 'j5', 'j6'];
    await worker.request({ cmd: 'enqueue', tenantId: t.tenantId, refs });
    await waitFor(async () => {
      const r = await k!.superuser.query(
        `select count(*)::int as n from erp.jobs where lease is not null and attempts = 1`,
      );
      return r.rows[0].n === refs.length;
    }, 'the worker to hold every job');
    await worker.kill();
    await installTestPlugin(k.container.cradle, { subscriptions: [] });
    await waitFor(async () => {
      const r = await k!.superuser.query(`select count(*)::int as n from public.effects where kind = 'job'`);
      return r.rows[0].n >= refs.length;
    }, 'the jobs to run again');
    await new Promise((r) => setTimeout(r, 2500)); // one more lease: nothing runs twice
    const r = await k.superuser.query(
      `select ref, count(*)::int as n, min(note) as attempt, min(instance) as instance from public.effects
        where kind = 'job' group by ref order by ref`,
    );
    expect(r.rows).toEqual(refs.map((ref) => ({ ref, n: 1, attempt: '2', instance: 'main' })));
    const left = await k.superuser.query('select count(*)::int as n from erp.jobs');
    expect(left.rows[0].n).toBe(0);
  }, 120_000);
});
