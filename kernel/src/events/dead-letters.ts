// Dead letters: deliveries that failed their last try. They are kept per tenant in Postgres (RLS,
// queryable, listed and replayed by the tenant's admins) in both modes; with NATS the dispatcher
// also copies each to the dead-letter stream for operators' tools. Replaying one queues a targeted
// delivery to the same subscriber with the same inbox key, so it runs once if it succeeds.
import type { Sql, TenantTx } from '../tenancy/index.js';
import { CHANNELS } from '../workers/index.js';

export interface DeadLetterInput {
  tenantId: string;
  subscriber: string;
  eventId: string;
  replay: string;
  attempts: number;
  error: string;
}

/** Records the dead letter; `finish` adds work to the same transaction (deleting the queue row). */
export async function recordDeadLetter(
  tenantTx: TenantTx,
  d: DeadLetterInput,
  finish?: (sql: Sql) => Promise<void>,
): Promise<void> {
  await tenantTx.run(d.tenantId, async (sql) => {
    await insertDeadLetter(sql, d);
    if (finish) await finish(sql);
  });
}

/** Writes the dead letter in the caller's transaction (a batch of deliveries records its own there). */
export async function insertDeadLetter(sql: Sql, d: DeadLetterInput): Promise<void> {
  await sql.query(
    `insert into erp.event_dead_letters (tenant_id, subscriber, event_id, replay, attempts, error)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, subscriber, event_id, replay) do update
       set attempts = excluded.attempts, error = excluded.error, failed_at = now(), replayed_at = null`,
    [d.tenantId, d.subscriber, d.eventId, d.replay, d.attempts, d.error],
  );
}

export interface DeadLetterRow {
  id: string;
  subscriber: string;
  eventId: string;
  type: string;
  sequence: string;
  payload: unknown;
  replay: string | null;
  attempts: number;
  error: string;
  failedAt: Date;
  replayedAt: Date | null;
}

export async function listDeadLetters(
  sql: Sql,
  q: { limit: number; offset: number; subscriber?: string; includeReplayed?: boolean },
): Promise<DeadLetterRow[]> {
  return sql.query<DeadLetterRow>(
    `select d.id, d.subscriber, d.event_id as "eventId", o.subject as type, o.seq::text as sequence,
            o.payload, nullif(d.replay, '') as replay, d.attempts, d.error, d.failed_at as "failedAt",
            d.replayed_at as "replayedAt"
       from erp.event_dead_letters d
       join erp.event_outbox o on o.tenant_id = d.tenant_id and o.id = d.event_id
      where d.tenant_id = $1 and ($2::text is null or d.subscriber = $2) and ($3 or d.replayed_at is null)
      order by d.failed_at desc, d.id
      limit $4 offset $5`,
    [sql.tenantId, q.subscriber ?? null, q.includeReplayed ?? false, q.limit, q.offset],
  );
}

export type ReplayDeadLetterResult = 'queued' | 'not-found' | 'already-replayed' | 'subscriber-gone';

export async function replayDeadLetter(sql: Sql, id: string): Promise<ReplayDeadLetterResult> {
  const row = await sql.one<{
    subscriber: string;
    event_id: string;
    replay: string;
    replayed_at: Date | null;
  }>(
    `select subscriber, event_id, replay, replayed_at from erp.event_dead_letters
      where tenant_id = $1 and id = $2 for update`,
    [sql.tenantId, id],
  );
  if (!row) return 'not-found';
  if (row.replayed_at) return 'already-replayed';
  const sub = await sql.one('select 1 from erp.event_subscribers where key = $1', [row.subscriber]);
  if (!sub) return 'subscriber-gone';
  await sql.query(
    `insert into erp.event_deliveries (tenant_id, subscriber, event_id, replay) values ($1, $2, $3, $4)`,
    [sql.tenantId, row.subscriber, row.event_id, row.replay],
  );
  await sql.query(`update erp.event_dead_letters set replayed_at = now() where tenant_id = $1 and id = $2`, [
    sql.tenantId,
    id,
  ]);
  await sql.query(`select pg_notify('${CHANNELS.deliveries}', '')`);
  return 'queued';
}
