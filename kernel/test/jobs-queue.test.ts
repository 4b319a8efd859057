// Jobs: enqueued in the unit of work, retried with backoff, failed jobs listed and retried by an
// admin, cron periods, graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem } from './support/api.js';
import { FAST_BUS, waitFor } from './support/bus-env.js';
import { createEffectTables, effect, installTestPlugin } from './support/bus-fixtures.js';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';

describe('jobs', () => {
  let k: TestKernel;
  let t: TestTenant;
  const effects = async (ref: string) =>
    (
      await k.superuser.query(`select note from public.effects where kind = 'job' and ref = $1`, [ref])
    ).rows.map((r) => r.note);
  const enqueue = (ref: string, opts = {}) =>
    k.container.cradle.tenantTx.run(t.tenantId, (sql) =>
      k.container.cradle.jobs.enqueue(sql, 'test.work', { ref }, opts),
    );

  beforeAll(async () => {
    k = await startTestKernel({ ...FAST_BUS, ERP_JOBS_MAX_ATTEMPTS: '3' });
    await createEffectTables(k.superuser);
    await installTestPlugin(k.container.cradle, { subscriptions: [] });
    t = await createTenant(k);
  });
  afterAll(async () => k?.close());

  it('runs a job enqueued in a committed unit of work once, and never one that rolled back', async () => {
    const { tenantTx, jobs } = k.container.cradle;
    await tenantTx
      .run(t.tenantId, async (sql) => {
        await jobs.enqueue(sql, 'test.work', { ref: 'rolled-back' });
        throw new Error('roll back');
      })
      .catch(() => {});
    await enqueue('committed');
    await waitFor(async () => (await effects('committed')).length === 1, 'the job');
    await new Promise((r) => setTimeout(r, 300));
    expect(await effects('committed')).toEqual(['1']);
    expect(await effects('rolled-back')).toEqual([]);
    const left = await k.superuser.query('select count(*)::int as n from erp.jobs');
    expect(left.rows[0].n).toBe(0);
  });

  it('refuses an undefined job or a payload that breaks the job\u2019s schema, in the caller\u2019s transaction', async () => {
    const { tenantTx, jobs } = k.container.cradle;
    await expect(
      tenantTx.run(t.tenantId, (sql) => jobs.enqueue(sql, 'test.nothing', {})),
    ).rejects.toMatchObject({
      code: 'ERP_JOB_UNKNOWN',
    });
    await expect(
      tenantTx.run(t.tenantId, (sql) => jobs.enqueue(sql, 'test.work', { ref: 7 })),
    ).rejects.toMatchObject({
      code: 'ERP_JOB_PAYLOAD_INVALID',
    });
    expect(() => jobs.define({ plugin: 'test', name: 'work', run: async () => {} })).toThrow(
      /already defined/,
    );
    expect(() =>
      jobs.define({ plugin: 'test', name: 'bad-cron', cron: 'every day', run: async () => {} }),
    ).toThrow(/cron/);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    await k.superuser.query(`insert into public.bus_control values ('fail:job', '2')`);
    await enqueue('flaky');
    await waitFor(async () => (await effects('flaky')).length === 1, 'the third try', 10_000);
    expect(await effects('flaky')).toEqual(['3']);
    await k.superuser.query(`delete from public.bus_control`);
  });

  it('marks a job failed after its last try; an admin lists and retries it', async () => {
    await k.superuser.query(`insert into public.bus_control values ('fail:job', '99')`);
    const { id } = await enqueue('doomed', { maxAttempts: 2 });
    const failed = await waitFor(async () => {
      const r = await call(k, 'GET', '/api/v1/jobs?status=failed', { auth: t.auth });
      return (r.json().items as Array<{ id: string }>).find((j) => j.id === id);
    }, 'the failed job');
    expect(failed).toMatchObject({ job: 'test.work', status: 'failed', attempts: 2, maxAttempts: 2 });
    expect((failed as unknown as { lastError: string }).lastError).toMatch(/induced job failure 2/);
    expect(await effects('doomed')).toEqual([]);

    await k.superuser.query(`delete from public.bus_control`);
    expect((await call(k, 'POST', `/api/v1/jobs/${id}/retry`, { auth: t.auth })).statusCode).toBe(202);
    await waitFor(async () => (await effects('doomed')).length === 1, 'the retried job');
    expectProblem(await call(k, 'POST', `/api/v1/jobs/${id}/retry`, { auth: t.auth }), 404, 'ERP_NOT_FOUND');

    const later = await enqueue('later', { delaySeconds: 3600 });
    expectProblem(
      await call(k, 'POST', `/api/v1/jobs/${later.id}/retry`, { auth: t.auth }),
      409,
      'ERP_JOB_NOT_FAILED',
    );
    const queued = await call(k, 'GET', '/api/v1/jobs?status=queued', { auth: t.auth });
    expect(queued.json().items.map((j: { id: string }) => j.id)).toEqual([later.id]);
    const other = await createTenant(k);
    expect((await call(k, 'GET', '/api/v1/jobs', { auth: other.auth })).json().items).toEqual([]);
    expectProblem(
      await call(k, 'POST', `/api/v1/jobs/${later.id}/retry`, { auth: other.auth }),
      404,
      'ERP_NOT_FOUND',
    );
  });

  it('fires a cron schedule once per period for each active tenant', async () => {
    const { jobs } = k.container.cradle;
    jobs.define({
      plugin: 'test',
      name: 'every-second',
      cron: '* * * * * *',
      run: async (sql, job) => effect(sql, 'tick', 'test.every-second', job.period!),
    });
    await waitFor(async () => {
      const r = await k.superuser.query(
        `select count(distinct ref)::int as n from public.effects where kind = 'tick'`,
      );
      return r.rows[0].n >= 2;
    }, 'two periods');
    jobs.undefine('test', 'every-second');
    const r = await k.superuser.query(
      `select ref, count(*)::int as n, count(distinct tenant_id)::int as tenants from public.effects
        where kind = 'tick' group by ref`,
    );
    for (const row of r.rows) expect(row.n).toBe(row.tenants);
    const tenants = await k.superuser.query(`select count(*)::int as n from erp.tenants`);
    expect(Math.max(...r.rows.map((x) => x.tenants))).toBe(tenants.rows[0].n);
  });

  it('lets running jobs finish on graceful shutdown', async () => {
    const k2 = await startTestKernel({ ...FAST_BUS, DATABASE_URL: k.databaseUrl });
    let finished = false;
    k2.container.cradle.jobs.define({
      plugin: 'test',
      name: 'slow',
      run: async (sql) => {
        await new Promise((r) => setTimeout(r, 1500));
        await effect(sql, 'job', 'test.slow', 'slow');
        finished = true;
      },
    });
    await k2.container.cradle.tenantTx.run(t.tenantId, (sql) =>
      k2.container.cradle.jobs.enqueue(sql, 'test.slow'),
    );
    await waitFor(async () => {
      const r = await k.superuser.query(`select 1 from erp.jobs where name = 'slow' and lease is not null`);
      return r.rowCount === 1;
    }, 'the slow job to be claimed');
    await k2.close();
    expect(finished).toBe(true);
    expect(await effects('slow')).toHaveLength(1);
    const left = await k.superuser.query(`select count(*)::int as n from erp.jobs where name = 'slow'`);
    expect(left.rows[0].n).toBe(0);
  });
});
