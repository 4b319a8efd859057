// A test plugin for the bus and jobs suites, used in-process and by the worker processes: its
// handlers write one row per effect to public.effects (no unique key, so a duplicate effect shows
// as a second row) and fail on demand through public.bus_control.
import type pg from 'pg';
import type { EventBus } from '../../src/events/index.js';
import type { JobQueue } from '../../src/jobs/index.js';
import type { Sql } from '../../src/tenancy/index.js';

export const TEST_EVENTS = {
  'thing.happened': {
    type: 'object',
    additionalProperties: false,
    required: ['n'],
    properties: { n: { type: 'integer', minimum: 0 }, note: { type: 'string', maxLength: 200 } },
  },
  'thing.other': { type: 'object', properties: {} },
};

/** Creates the effect and control tables (as superuser) once the kernel has migrated. */
export async function createEffectTables(superuser: pg.Pool): Promise<void> {
  await superuser.query(`
    create table if not exists public.effects (
      kind text not null, tenant_id uuid not null, source text not null, ref text not null,
      note text, instance text, pid integer not null default pg_backend_pid(), at timestamptz not null default clock_timestamp());
    create table if not exists public.bus_control (key text primary key, value text not null);
    grant select, insert on public.effects to erp_kernel_app;
    grant select on public.bus_control to erp_kernel_app;
  `);
}

async function control(sql: Sql, key: string): Promise<string | undefined> {
  const row = await sql.one<{ value: string }>('select value from public.bus_control where key = $1', [key]);
  return row?.value;
}

export async function effect(
  sql: Sql,
  kind: string,
  source: string,
  ref: string,
  note?: string,
): Promise<void> {
  await sql.query(
    'insert into public.effects (kind, tenant_id, source, ref, note, instance) values ($1, $2, $3, $4, $5, $6)',
    [kind, sql.tenantId, source, ref, note ?? null, process.env.ERP_TEST_INSTANCE ?? 'main'],
  );
}

export interface FixtureOptions {
  /** Milliseconds each handler and job sleeps inside its transaction. */
  handlerDelayMs?: number;
  jobDelayMs?: number;
  subscriptions?: string[];
  cron?: string;
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function installTestPlugin(
  k: { events: EventBus; jobs: JobQueue },
  opts: FixtureOptions = {},
): Promise<void> {
  if (!k.events.registry.get('test.thing.happened')) k.events.registry.define('test', TEST_EVENTS);
  for (const name of opts.subscriptions ?? ['count-a', 'count-b']) {
    await k.events.subscribe({
      plugin: 'test',
      name,
      subject: 'test.thing.happened',
      maxAttempts: opts.maxAttempts,
      handler: async (sql, event) => {
        if ((await control(sql, `fail:test:${name}`)) === 'yes')
          throw new Error(`induced failure in ${name}`);
        if (opts.handlerDelayMs) await sleep(opts.handlerDelayMs);
        await effect(sql, 'event', `test:${name}`, event.id, event.replay ?? undefined);
      },
    });
  }
  k.jobs.define({
    plugin: 'test',
    name: 'work',
    maxAttempts: opts.maxAttempts,
    schema: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
    run: async (sql, job) => {
      const failures = Number((await control(sql, 'fail:job')) ?? 0);
      if (job.attempt <= failures) throw new Error(`induced job failure ${job.attempt}`);
      if (opts.jobDelayMs) await sleep(opts.jobDelayMs);
      await effect(sql, 'job', 'test.work', (job.payload as { ref: string }).ref, String(job.attempt));
    },
  });
  if (opts.cron) {
    k.jobs.define({
      plugin: 'test',
      name: 'tick',
      cron: opts.cron,
      run: async (sql, job) => effect(sql, 'tick', 'test.tick', job.period ?? 'none'),
    });
  }
}

/** Publishes `count` events in their own transactions; returns their ids. */
export async function publishMany(
  k: { events: EventBus; tenantTx: { run<T>(t: string, w: (sql: Sql) => Promise<T>): Promise<T> } },
  tenantId: string,
  count: number,
  perTx = 1,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += perTx) {
    await k.tenantTx.run(tenantId, async (sql) => {
      for (let j = i; j < Math.min(count, i + perTx); j++) {
        ids.push((await k.events.publish(sql, 'test.thing.happened', { n: j })).id);
      }
    });
  }
  return ids;
}
