// Replay: re-deliver a tenant's past events of one subscriber's subject, from a sequence or a
// point in time, to that subscriber only (to rebuild a projection). The events come from the
// outbox (kept for ERP_EVENTS_RETENTION_DAYS) through the Postgres delivery queue, in both modes,
// so the live stream and the other subscribers are untouched. Each replay has its own id in the
// inbox key: the handler runs once more per replay, and a duplicate within the replay is dropped.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../tenancy/index.js';
import { CHANNELS } from '../workers/index.js';

/** One request replays at most this many events; ask again from the next sequence for more. */
export const REPLAY_LIMIT = 100_000;

export interface ReplayRequest {
  subscriber: string;
  fromSequence?: string;
  fromTime?: string | Date;
  toSequence?: string;
}

export interface ReplayResult {
  replayId: string;
  events: number;
  lastSequence: string | null;
}

/** Null when the subscriber is unknown. */
export async function queueReplay(sql: Sql, r: ReplayRequest): Promise<ReplayResult | null> {
  const sub = await sql.one<{ subject: string }>('select subject from erp.event_subscribers where key = $1', [
    r.subscriber,
  ]);
  if (!sub) return null;
  const replayId = randomUUID();
  const rows = await sql.query<{ n: string; last: string | null }>(
    `with picked as (
       select tenant_id, id, seq from erp.event_outbox
        where tenant_id = $1 and ($2 = '*' or subject = $2)
          and ($3::bigint is null or seq >= $3) and ($4::timestamptz is null or created_at >= $4)
          and ($5::bigint is null or seq <= $5)
        order by seq limit ${REPLAY_LIMIT}),
     queued as (
       insert into erp.event_deliveries (tenant_id, subscriber, event_id, replay)
       select tenant_id, $6, id, $7 from picked order by seq returning 1)
     select (select count(*) from queued)::text as n, (select max(seq)::text from picked) as last`,
    [
      sql.tenantId,
      sub.subject,
      r.fromSequence ?? null,
      r.fromTime ?? null,
      r.toSequence ?? null,
      r.subscriber,
      replayId,
    ],
  );
  await sql.query(`select pg_notify('${CHANNELS.deliveries}', '')`);
  return { replayId, events: Number(rows[0]?.n ?? 0), lastSequence: rows[0]?.last ?? null };
}
