// Delivers the Postgres delivery queue to this instance's subscribers: the whole embedded bus, and
// in JetStream mode the targeted deliveries of replays. A claim pushes next_attempt_at a lease
// into the future; the handler's transaction then deletes the row first and holds its lock, so
// nobody else claims it while it runs. If the instance dies, its transaction aborts and the
// delivery is due again when the lease ends; the inbox (deliverOnce) keeps the effect single.
import type { Sql, TenantTx } from '../tenancy/index.js';
import type { WorkerTx } from '../workers/index.js';
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
} from '../workers/index.js';
import { insertDeadLetter, recordDeadLetter } from './dead-letters.js';
import { batchSize, DELIVERY_BATCH, deliverBatch, deliverOnce } from './deliver.js';
import type { Subscriptions } from './subscriptions.js';
import type { BusSettings, EventEnvelope } from './types.js';

interface Claimed {
  tenant_id: string;
  id: string;
  subscriber: string;
  event_id: string;
  replay: string;
  attempts: number;
  seq: string;
  subject: string;
  payload: unknown;
  created_at: Date;
  trace_context: string | null;
}

function envelope(row: Claimed): EventEnvelope {
  return {
    id: row.event_id,
    sequence: row.seq,
    type: row.subject,
    tenantId: row.tenant_id,
    payload: row.payload,
    publishedAt: row.created_at.toISOString(),
    replay: row.replay || null,
    attempt: row.attempts,
    traceparent: row.trace_context,
  };
}

/** Claimed rows cut into batches of at most `size`, each of one tenant and one subscriber. */
function chunks(rows: Claimed[], size: number): Claimed[][] {
  const groups = new Map<string, Claimed[]>();
  for (const row of rows) {
    const key = `${row.tenant_id}/${row.subscriber}`;
    const group = groups.get(key) ?? [];
    groups.set(key, group);
    group.push(row);
  }
  const out: Claimed[][] = [];
  for (const group of groups.values())
    for (let i = 0; i < group.length; i += size) out.push(group.slice(i, i + size));
  return out;
}

/** Deletes the claimed queue row, in the transaction that dead-letters it. */
async function removeRow(sql: Sql, row: Claimed): Promise<void> {
  await sql.query('delete from erp.event_deliveries where tenant_id = $1 and id = $2', [
    row.tenant_id,
    row.id,
  ]);
}

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export class PgDispatcher {
  private readonly inFlight = new InFlight();
  private readonly loop: Loop;
  private readonly runClaimed = (rows: Claimed[]) =>
    rows.length === 1 ? this.process(rows[0]!) : this.processBatch(rows);
  /** As each item ends, a slot is free: the loop goes round again. */
  private readonly claimAgain = () => this.loop.poke();

  constructor(
    private readonly deps: {
      workerTx: WorkerTx;
      tenantTx: TenantTx;
      wakeup: PgWakeup;
      subscriptions: Subscriptions;
      settings: BusSettings;
      log: Log;
    },
  ) {
    this.loop = new Loop(
      'event dispatcher',
      () => this.step(),
      (ms) => deps.wakeup.wait(CHANNELS.deliveries, ms),
      deps.settings.pollMs,
      deps.log,
    );
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Stops claiming, then waits up to graceMs for running handlers. */
  async stop(graceMs: number): Promise<void> {
    await this.loop.stop();
    await this.inFlight.drain(graceMs);
  }

  private async step(): Promise<StepResult> {
    const free = this.inFlight.claimable(this.deps.settings.concurrency);
    if (free === 0) return 'idle';
    const keys = this.deps.subscriptions.keys();
    if (keys.length === 0) return 'idle';
    const rows = await this.deps.workerTx.run((sql) =>
      sql.query<Claimed>(
        `with claimed as (
           update erp.event_deliveries d
              set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $3)
            where (d.tenant_id, d.id) in (
              select tenant_id, id from erp.event_deliveries
               where next_attempt_at <= now() and subscriber = any($1)
               order by next_attempt_at limit $2 for update skip locked)
           returning d.tenant_id, d.id, d.subscriber, d.event_id, d.replay, d.attempts)
         select c.*, o.seq::text as seq, o.subject, o.payload, o.created_at, o.trace_context
           from claimed c join erp.event_outbox o on o.tenant_id = c.tenant_id and o.id = c.event_id`,
        [keys, free * DELIVERY_BATCH, this.deps.settings.leaseSeconds],
      ),
    );
    this.inFlight.spawn(chunks(rows, batchSize(rows.length, free)), this.runClaimed, this.claimAgain);
    return rows.length === free * DELIVERY_BATCH ? 'more' : 'idle';
  }

  /**
   * Several claimed deliveries of one tenant and subscriber in one transaction, a savepoint each;
   * a failing one records its retry or dead letter in that transaction and the others commit. If
   * the batch as a whole fails (the database went away, a commit refused), each is delivered
   * alone as before: its claim still holds, and its tries are counted once.
   */
  private async processBatch(rows: Claimed[]): Promise<void> {
    const { tenantTx, subscriptions, settings, log } = this.deps;
    const first = rows[0]!;
    const sub = subscriptions.get(first.subscriber);
    if (!sub) return;
    const byItem = new Map<unknown, Claimed>();
    const items = rows.map((row) => {
      const item = { event: envelope(row), queueRowId: row.id };
      byItem.set(item, row);
      return item;
    });
    try {
      await deliverBatch(tenantTx, sub, first.tenant_id, items, async (sql, item, err) => {
        const row = byItem.get(item)!;
        if (row.attempts >= sub.maxAttempts) {
          log.error({ err: errorText(err), subscriber: sub.key, event: row.event_id }, 'event dead-lettered');
          await insertDeadLetter(sql, {
            tenantId: row.tenant_id,
            subscriber: sub.key,
            eventId: row.event_id,
            replay: row.replay,
            attempts: row.attempts,
            error: errorText(err),
          });
          return;
        }
        // The batch deleted its queue row up front: put it back, due after the backoff.
        await sql.query(
          `insert into erp.event_deliveries
             (tenant_id, id, subscriber, event_id, replay, attempts, next_attempt_at, last_error)
           overriding system value
           values ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7), $8)`,
          [
            row.tenant_id,
            row.id,
            row.subscriber,
            row.event_id,
            row.replay,
            row.attempts,
            backoffMs(settings.retry, row.attempts) / 1000,
            errorText(err),
          ],
        );
      });
    } catch {
      for (const row of rows) await this.process(row);
    }
  }

  private async process(row: Claimed): Promise<void> {
    const { tenantTx, subscriptions, settings, log } = this.deps;
    const sub = subscriptions.get(row.subscriber);
    if (!sub) return; // unsubscribed meanwhile: the lease runs out and another instance takes it
    const event = envelope(row);
    try {
      await deliverOnce(tenantTx, sub, event, row.id);
      return;
    } catch (err) {
      const transient = isTransient(err);
      const leaseMs = settings.leaseSeconds * 1000;
      try {
        if (!transient && row.attempts >= sub.maxAttempts) {
          log.error({ err: errorText(err), subscriber: sub.key, event: event.id }, 'event dead-lettered');
          await retryTransient(
            () =>
              recordDeadLetter(
                tenantTx,
                {
                  tenantId: row.tenant_id,
                  subscriber: sub.key,
                  eventId: row.event_id,
                  replay: row.replay,
                  attempts: row.attempts,
                  error: errorText(err),
                },
                (sql) => removeRow(sql, row),
              ),
            settings.retry,
            leaseMs,
          );
        } else {
          // A database outage is not the handler's fault: it does not use up a try.
          await retryTransient(
            () =>
              tenantTx.run(row.tenant_id, (sql) =>
                sql.query(
                  `update erp.event_deliveries
                  set next_attempt_at = now() + make_interval(secs => $3), last_error = $4,
                      attempts = attempts - $5
                where tenant_id = $1 and id = $2`,
                  [
                    row.tenant_id,
                    row.id,
                    backoffMs(settings.retry, row.attempts) / 1000,
                    errorText(err),
                    transient ? 1 : 0,
                  ],
                ),
              ),
            settings.retry,
            leaseMs,
          );
        }
      } catch (again) {
        // The database is unreachable: the lease runs out and the delivery is claimed again.
        log.warn({ err: errorText(again) }, 'could not record a failed delivery; it retries after its lease');
      }
    }
  }
}
