// Jobs as the rest of the kernel (and, wrapped, each plugin) sees them: define and undefine per
// (plugin, name) at any time, enqueue inside the unit of work, and the admin's view of failed
// jobs. Jobs live in Postgres (erp.jobs), so enqueueing commits or rolls back with the caller's
// work, and N instances run each job once (DESIGN decision 6).
import { EventError } from '../events/index.js';
import type { Sql, TenantTx } from '../tenancy/index.js';
import { currentTraceparent } from '../tracing/index.js';
import { CHANNELS, type PgWakeup, type WorkerTx } from '../workers/index.js';
import { JobDefinitions } from './definitions.js';
import { CronScheduler } from './scheduler.js';
import type { EnqueueOptions, JobSettings, JobSpec } from './types.js';
import { JobWorker } from './worker.js';

type Log = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export interface JobRow {
  id: string;
  job: string;
  payload: unknown;
  status: 'queued' | 'running' | 'failed';
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  period: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export class JobQueue {
  readonly definitions: JobDefinitions;
  private readonly worker: JobWorker;
  private readonly scheduler: CronScheduler;
  private started = false;
  private readonly wakeWorker = () => this.worker.poke();

  constructor(
    private readonly deps: {
      tenantTx: TenantTx;
      workerTx: WorkerTx;
      wakeup: PgWakeup;
      settings: JobSettings;
      log: Log;
    },
  ) {
    this.definitions = new JobDefinitions(deps.settings.maxAttempts);
    this.worker = new JobWorker({ ...deps, definitions: this.definitions });
    this.scheduler = new CronScheduler({
      ...deps,
      definitions: this.definitions,
      onFired: () => this.worker.poke(),
    });
  }

  /** Defines a job (and its cron schedule); this instance runs it from now on. */
  define(spec: JobSpec): void {
    this.definitions.define(spec);
    if (this.started) {
      this.worker.poke();
      if (spec.cron) this.scheduler.poke();
    }
  }

  /** Stops running the job here. Queued rows stay for other instances or a later definition. */
  undefine(plugin: string, name: string): void {
    this.definitions.undefine(plugin, name);
  }

  /** Queues a job in the caller's unit of work; it runs after commit, in the same tenant. */
  async enqueue(
    sql: Sql,
    job: string,
    payload: unknown = {},
    opts: EnqueueOptions = {},
  ): Promise<{ id: string }> {
    if (!sql || typeof sql.query !== 'function' || typeof sql.tenantId !== 'string') {
      throw new EventError('ERP_JOB_NO_TRANSACTION', 'enqueue needs the unit of work (a tenant transaction)');
    }
    const def = this.definitions.require(job);
    this.definitions.checkPayload(def, payload);
    const maxAttempts = opts.maxAttempts ?? def.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
      throw new EventError('ERP_JOB_INVALID', 'maxAttempts must be an integer from 1 to 100');
    }
    const runAt = opts.runAt ?? (opts.delaySeconds ? new Date(Date.now() + opts.delaySeconds * 1000) : null);
    const row = await sql.one<{ id: string }>(
      `with j as (
         insert into erp.jobs (tenant_id, plugin, name, payload, max_attempts, run_at, trace_context)
         values ($1, $2, $3, $4::jsonb, $5, coalesce($6::timestamptz, now()), $7) returning id)
       select j.id, ${this.deps.settings.background ? 'null' : `pg_notify('${CHANNELS.jobs}', '')`} from j`,
      [sql.tenantId, def.plugin, def.name, JSON.stringify(payload), maxAttempts, runAt, currentTraceparent()],
    );
    // This instance's worker starts at once; others find the job at their next poll.
    if (this.deps.settings.background) sql.afterCommit(this.wakeWorker);
    return { id: row!.id };
  }

  async list(
    sql: Sql,
    q: { status?: 'queued' | 'running' | 'failed'; limit: number; offset: number },
  ): Promise<JobRow[]> {
    return sql.query<JobRow>(
      `select * from (
         select id, plugin || '.' || name as job, payload,
                case when status = 'failed' then 'failed'
                     when lease is not null then 'running' else 'queued' end as status,
                attempts, max_attempts as "maxAttempts", run_at as "runAt", last_error as "lastError", period,
                created_at as "createdAt", updated_at as "updatedAt"
           from erp.jobs where tenant_id = $1) j
        where $2::text is null or j.status = $2
        order by j."updatedAt" desc, j.id limit $3 offset $4`,
      [sql.tenantId, q.status ?? null, q.limit, q.offset],
    );
  }

  /** Puts a failed job back in the queue with fresh tries. */
  async retry(sql: Sql, id: string): Promise<'queued' | 'not-found' | 'not-failed'> {
    const row = await sql.one<{ status: string }>(
      'select status from erp.jobs where tenant_id = $1 and id = $2 for update',
      [sql.tenantId, id],
    );
    if (!row) return 'not-found';
    if (row.status !== 'failed') return 'not-failed';
    await sql.query(
      `update erp.jobs set status = 'queued', attempts = 0, run_at = now(), lease = null, updated_at = now()
        where tenant_id = $1 and id = $2`,
      [sql.tenantId, id],
    );
    await sql.query(`select pg_notify('${CHANNELS.jobs}', '')`);
    return 'queued';
  }

  /** Starts claiming jobs and firing cron periods (the bus's wake-up listener must run). */
  async start(): Promise<void> {
    if (this.deps.settings.background) {
      this.worker.start();
      this.scheduler.start();
    }
    this.started = true;
  }

  /** Graceful shutdown: no new claims or periods, then up to graceMs for running jobs. */
  async stop(graceMs: number): Promise<void> {
    this.started = false;
    await this.scheduler.stop();
    const drained = await this.worker.stop(graceMs);
    if (!drained) {
      this.deps.log.warn(
        { running: this.worker.running },
        'jobs still running at shutdown; their leases will expire',
      );
    }
  }
}
