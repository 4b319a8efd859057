// Cron: each instance computes the periods of every scheduled job, and a period fires once across
// all instances because firing inserts its (schedule, period) row in erp.job_ticks: the instance
// whose insert wins enqueues that period's jobs (one per target tenant) in the same transaction;
// the others find the row and do nothing. After an outage only the latest missed period fires,
// and only within the grace time.
import { CHANNELS, errorText, type WorkerTx } from '../workers/index.js';
import type { JobDefinition, JobDefinitions } from './definitions.js';
import type { JobSettings } from './types.js';

type Log = { warn(obj: object, msg: string): void };

export class CronScheduler {
  private readonly fired = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly deps: {
      workerTx: WorkerTx;
      definitions: JobDefinitions;
      settings: JobSettings;
      log: Log;
      onFired: () => void;
    },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  /** Re-plans the next wake-up (a schedule was added). */
  poke(): void {
    if (this.running && !this.current) this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = undefined;
        if (this.running) this.schedule(this.nextDelay());
      });
    }, ms);
  }

  private nextDelay(): number {
    const now = Date.now();
    let next = now + this.deps.settings.pollMs;
    for (const def of this.deps.definitions.scheduled()) {
      const t = def.schedule!.nextRun(new Date(now))?.getTime();
      if (t !== undefined && t < next) next = t;
    }
    return Math.max(10, next - now + 5);
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    for (const def of this.deps.definitions.scheduled()) {
      const period = def.schedule!.previousRuns(1, new Date(now + 1))[0]?.getTime();
      if (period === undefined || now - period > this.deps.settings.cronGraceMs) continue;
      if ((this.fired.get(def.key) ?? 0) >= period) continue;
      try {
        await this.fire(def, new Date(period));
        this.fired.set(def.key, period);
      } catch (err) {
        this.deps.log.warn({ err: errorText(err), job: def.key }, 'could not fire a cron period; retrying');
      }
    }
  }

  private async fire(def: JobDefinition, period: Date): Promise<void> {
    const fired = await this.deps.workerTx.run(async (sql) => {
      const won = await sql.one(
        'insert into erp.job_ticks (schedule, period) values ($1, $2) on conflict do nothing returning 1',
        [def.key, period],
      );
      if (!won) return false;
      const tenants = def.tenants
        ? await def.tenants()
        : (await sql.query<{ id: string }>(`select id from erp.tenants where status = 'active'`)).map(
            (t) => t.id,
          );
      if (tenants.length) {
        await sql.query(
          `insert into erp.jobs (tenant_id, plugin, name, payload, max_attempts, period)
           select t, $2, $3, '{}'::jsonb, $4, $5 from unnest($1::uuid[]) as t`,
          [tenants, def.plugin, def.name, def.maxAttempts, period],
        );
        await sql.query(`select pg_notify('${CHANNELS.jobs}', '')`);
      }
      return true;
    });
    if (fired) this.deps.onFired();
  }
}
