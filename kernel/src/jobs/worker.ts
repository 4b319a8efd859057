// Claims due jobs and runs them. A claim (FOR UPDATE SKIP LOCKED, so N instances never take the
// same job) gives the job a fresh lease token and pushes run_at a lease into the future. The
// job's own transaction first deletes its row, fenced by that token, and holds the row's lock
// until it ends: while it runs nobody can claim the job (claims skip locked rows), its effects
// and its completion commit together, once, and a failure rolls the row back. An instance that
// dies takes its transaction with it; the job is due again when the lease ends. A holder whose
// lease token was replaced finds no row and does nothing.

import type { TenantTx } from '../tenancy/index.js';
import { jobSpan } from '../tracing/index.js';
import {
  backoffMs,
  CHANNELS,
  errorText,
  InFlight,
  isTransient,
  Loop,
  type PgWakeup,
  retryTransient,
  type StepResult,
  type WorkerTx,
} from '../workers/index.js';
import type { JobDefinitions } from './definitions.js';
import type { JobContext, JobSettings } from './types.js';

interface Claimed {
  tenant_id: string;
  id: string;
  plugin: string;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  lease: string;
  period: Date | null;
  trace_context: string | null;
}

class LeaseLost extends Error {}

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export class JobWorker {
  private readonly inFlight = new InFlight();
  private readonly loop: Loop;
  private readonly runClaimed = (row: Claimed) => this.run(row);
  /** As each item ends, a slot is free: the loop goes round again. */
  private readonly claimAgain = () => this.loop.poke();

  constructor(
    private readonly deps: {
      workerTx: WorkerTx;
      tenantTx: TenantTx;
      wakeup: PgWakeup;
      definitions: JobDefinitions;
      settings: JobSettings;
      log: Log;
    },
  ) {
    this.loop = new Loop(
      'job worker',
      () => this.step(),
      (ms) => deps.wakeup.wait(CHANNELS.jobs, ms),
      deps.settings.pollMs,
      deps.log,
    );
  }

  get running(): number {
    return this.inFlight.size;
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Stops claiming, then waits up to graceMs for the jobs that run. */
  async stop(graceMs: number): Promise<boolean> {
    await this.loop.stop();
    return this.inFlight.drain(graceMs);
  }

  private async step(): Promise<StepResult> {
    const free = this.inFlight.claimable(this.deps.settings.concurrency);
    if (free === 0) return 'idle';
    const keys = this.deps.definitions.keys();
    if (keys.length === 0) return 'idle';
    const rows = await this.deps.workerTx.run((sql) =>
      sql.query<Claimed>(
        `update erp.jobs j
            set attempts = j.attempts + 1, run_at = now() + make_interval(secs => $3),
                lease = gen_random_uuid(), updated_at = now()
          where (j.tenant_id, j.id) in (
            select tenant_id, id from erp.jobs
             where status = 'queued' and run_at <= now() and plugin || '.' || name = any($1)
             order by run_at limit $2 for update skip locked)
          returning j.tenant_id, j.id, j.plugin, j.name, j.payload, j.attempts, j.max_attempts, j.lease, j.period, j.trace_context`,
        [keys, free, this.deps.settings.leaseSeconds],
      ),
    );
    this.inFlight.spawn(rows, this.runClaimed, this.claimAgain);
    return rows.length === free ? 'more' : 'idle';
  }

  private async run(row: Claimed): Promise<void> {
    const { tenantTx, definitions, settings, log } = this.deps;
    const key = `${row.plugin}.${row.name}`;
    const def = definitions.get(key);
    if (!def) return; // undefined meanwhile: the lease runs out and another instance takes it
    const ctx: JobContext = {
      id: row.id,
      tenantId: row.tenant_id,
      job: key,
      payload: row.payload,
      attempt: row.attempts,
      period: row.period ? row.period.toISOString() : null,
    };
    const fence = [row.tenant_id, row.id, row.lease] as const;
    try {
      await jobSpan(row, key, () =>
        tenantTx.run(row.tenant_id, async (sql) => {
          const mine = await sql.query(
            'delete from erp.jobs where tenant_id = $1 and id = $2 and lease = $3 returning 1',
            [...fence],
          );
          if (!mine.length) throw new LeaseLost();
          await def.run(sql, ctx);
        }),
      );
    } catch (err) {
      if (err instanceof LeaseLost) {
        log.warn({ job: key, id: row.id }, 'job was claimed again before it started; skipped here');
        return;
      }
      const transient = isTransient(err);
      const failed = !transient && row.attempts >= row.max_attempts;
      if (failed) log.error({ job: key, id: row.id, err: errorText(err) }, 'job failed its last try');
      await retryTransient(
        () =>
          tenantTx.run(row.tenant_id, (sql) =>
            sql.query(
              `update erp.jobs
                set status = $4, lease = null, last_error = $5, updated_at = now(),
                    attempts = attempts - $6, run_at = now() + make_interval(secs => $7)
              where tenant_id = $1 and id = $2 and lease = $3`,
              [
                ...fence,
                failed ? 'failed' : 'queued',
                errorText(err),
                transient ? 1 : 0,
                backoffMs(settings.retry, row.attempts) / 1000,
              ],
            ),
          ),
        settings.retry,
        settings.leaseSeconds * 1000,
      ).catch((again) => {
        // The database is unreachable: the lease runs out and the job is claimed again.
        log.warn({ err: errorText(again) }, 'could not record a failed job; it retries after its lease');
      });
    }
  }
}
