// Lag of the kernel's queues, read when Prometheus scrapes: the outbox not yet relayed to the bus,
// deliveries due (the embedded bus's fan-out and replays), dead letters, jobs due and failed, and
// the audit sealer's backlog. One worker transaction per scrape reads every tenant's queues (the
// worker scope's policies allow exactly that); the sealer reports its own state.
import { Gauge, type Registry } from 'prom-client';
import type { WorkerTx } from '../workers/index.js';

export interface SealerStats {
  stats(): { waitingTenants: number; lastPassAt: number | undefined; running: boolean };
}

interface QueueRow {
  outbox: string;
  outbox_age: number | null;
  deliveries: string;
  deliveries_age: number | null;
  dead_letters: string;
  jobs: string;
  jobs_age: number | null;
  jobs_failed: string;
}

const QUEUES_SQL = `
  select
    (select count(*) from erp.event_outbox where relayed_at is null) as outbox,
    (select extract(epoch from now() - min(created_at))::float8 from erp.event_outbox where relayed_at is null) as outbox_age,
    (select count(*) from erp.event_deliveries where next_attempt_at <= now()) as deliveries,
    (select extract(epoch from now() - min(next_attempt_at))::float8 from erp.event_deliveries where next_attempt_at <= now()) as deliveries_age,
    (select count(*) from erp.event_dead_letters where replayed_at is null) as dead_letters,
    (select count(*) from erp.jobs where status = 'queued' and run_at <= now()) as jobs,
    (select extract(epoch from now() - min(run_at))::float8 from erp.jobs where status = 'queued' and run_at <= now()) as jobs_age,
    (select count(*) from erp.jobs where status = 'failed') as jobs_failed`;

export function installQueueMetrics(
  registry: Registry,
  deps: { workerTx: WorkerTx; sealer: SealerStats },
): void {
  // Every gauge reads through the same scrape-wide query before it is reported.
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect: () => read() });
  const depth = gauge('erp_queue_depth', 'Items waiting in a kernel queue', ['queue']);
  const age = gauge(
    'erp_queue_oldest_age_seconds',
    'Age of the oldest item waiting in a kernel queue (0: empty)',
    ['queue'],
  );
  const sealerWaiting = gauge(
    'erp_audit_sealer_waiting_tenants',
    'Tenants with audit entries waiting to be sealed here',
  );
  const sealerAge = gauge(
    'erp_audit_sealer_last_pass_age_seconds',
    'Seconds since the audit sealer last finished a pass (absent before the first)',
  );
  // One read serves every gauge of a scrape: the first collect() starts it, the others await it.
  let reading: Promise<void> | undefined;
  const read = (): Promise<void> =>
    (reading ??= (async () => {
      try {
        const r = (await deps.workerTx.run((sql) => sql.one(QUEUES_SQL))) as unknown as QueueRow;
        depth.set({ queue: 'outbox' }, Number(r.outbox));
        depth.set({ queue: 'deliveries' }, Number(r.deliveries));
        depth.set({ queue: 'dead_letters' }, Number(r.dead_letters));
        depth.set({ queue: 'jobs' }, Number(r.jobs));
        depth.set({ queue: 'jobs_failed' }, Number(r.jobs_failed));
        age.set({ queue: 'outbox' }, r.outbox_age ?? 0);
        age.set({ queue: 'deliveries' }, r.deliveries_age ?? 0);
        age.set({ queue: 'jobs' }, r.jobs_age ?? 0);
        const s = deps.sealer.stats();
        sealerWaiting.set(s.waitingTenants);
        sealerAge.reset();
        if (s.lastPassAt !== undefined) sealerAge.set((Date.now() - s.lastPassAt) / 1000);
      } finally {
        setImmediate(() => {
          reading = undefined;
        });
      }
    })());
}
