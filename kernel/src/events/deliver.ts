// Runs one delivery of one event to one subscriber, exactly once in effect: the handler's
// transaction is the event's tenant's, and its first statement claims the inbox row. A second
// delivery of the same event (JetStream redelivery after a lost ack, a lease that ran out while
// the first was still running) either waits on that row and then finds it, or finds it at once,
// and changes nothing. With a Postgres queue row, the same first statement deletes that row: the
// transaction holds its lock until it ends, so no other instance can claim it meanwhile, and a
// rollback puts it back.
import { inSavepoint, type Sql, type TenantTx } from '../tenancy/index.js';
import { deliverySpan } from '../tracing/index.js';
import { isTransient } from '../workers/index.js';
import type { Subscription } from './subscriptions.js';
import type { EventEnvelope } from './types.js';

export async function deliverOnce(
  tenantTx: TenantTx,
  sub: Subscription,
  event: EventEnvelope,
  queueRowId?: string,
): Promise<'handled' | 'duplicate'> {
  return tenantTx.run(event.tenantId, async (sql) => {
    const params = [event.tenantId, sub.key, event.id, event.replay ?? ''];
    const first = await sql.one(
      `${queueRowId === undefined ? '' : 'with queued as (delete from erp.event_deliveries where tenant_id = $1 and id = $5) '}
       insert into erp.event_inbox (tenant_id, subscriber, event_id, replay) values ($1, $2, $3, $4)
       on conflict do nothing returning 1 as first`,
      queueRowId === undefined ? params : [...params, queueRowId],
    );
    if (first) await deliverySpan(event, sub.key, () => sub.handler(sql, event));
    return first ? 'handled' : 'duplicate';
  });
}

/** Most deliveries one handler transaction takes: enough to spread one commit wide, few enough that a lease never runs out on a batch of ordinary handlers. */
export const DELIVERY_BATCH = 32;

/**
 * How many of `waiting` deliveries the next batch takes with `free` batch slots open: spread over
 * the free slots while the bus is quiet (latency), a full batch once deliveries queue up.
 */
export function batchSize(waiting: number, free: number): number {
  return Math.min(DELIVERY_BATCH, Math.max(1, Math.ceil(waiting / Math.max(1, free))));
}

export interface BatchItem {
  event: EventEnvelope;
  /** The Postgres queue row (embedded bus, replays); none for a JetStream message. */
  queueRowId?: string;
}

export type BatchOutcome = { status: 'handled' | 'duplicate' } | { status: 'failed'; error: unknown };

/**
 * Delivers several events of one tenant to one subscriber in one transaction: one statement claims
 * every inbox row (and deletes the queue rows), then each handler runs in a savepoint of its own.
 * A handler that fails rolls back alone; `onFailed` then records its failure in the same
 * transaction (its retry or dead letter), its inbox row is removed, and the others commit. One
 * durable commit for the batch instead of one per event. A transient error (the database going
 * away, a deadlock) ends the whole batch by throwing: nothing of it committed, and the caller
 * delivers its items one by one, as the unbatched path always did.
 */
export async function deliverBatch(
  tenantTx: TenantTx,
  sub: Subscription,
  tenantId: string,
  items: readonly BatchItem[],
  onFailed: (sql: Sql, item: BatchItem, error: unknown) => Promise<void>,
): Promise<BatchOutcome[]> {
  // Inbox rows are claimed in one order everywhere, so two overlapping batches cannot deadlock.
  const order = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => cmp(a.item.event.id, b.item.event.id) || cmp(replayOf(a.item), replayOf(b.item)));
  return tenantTx.run(tenantId, async (sql) => {
    const queueIds = items.flatMap((it) => (it.queueRowId === undefined ? [] : [it.queueRowId]));
    const firsts = await sql.query<{ event_id: string; replay: string }>(
      `with queued as (delete from erp.event_deliveries where tenant_id = $1 and id = any($5::bigint[]))
       insert into erp.event_inbox (tenant_id, subscriber, event_id, replay)
       select $1, $2, t.e, t.r from unnest($3::uuid[], $4::text[]) with ordinality as t(e, r, n) order by t.n
       on conflict do nothing returning event_id::text, replay`,
      [tenantId, sub.key, order.map((o) => o.item.event.id), order.map((o) => replayOf(o.item)), queueIds],
    );
    const first = new Set(firsts.map((r) => `${r.event_id}/${r.replay}`));
    const outcomes: BatchOutcome[] = items.map(() => ({ status: 'duplicate' }));
    for (const { item, i } of order) {
      // The same event twice in one batch (two queue rows, two stream messages) runs once.
      if (!first.delete(`${item.event.id.toLowerCase()}/${replayOf(item)}`)) continue;
      try {
        await deliverySpan(item.event, sub.key, () =>
          inSavepoint(sql, (scoped) => sub.handler(scoped, item.event)),
        );
        outcomes[i] = { status: 'handled' };
      } catch (error) {
        if (isTransient(error)) throw error;
        await sql.query(
          'delete from erp.event_inbox where tenant_id = $1 and subscriber = $2 and event_id = $3 and replay = $4',
          [tenantId, sub.key, item.event.id, replayOf(item)],
        );
        await onFailed(sql, item, error);
        outcomes[i] = { status: 'failed', error };
      }
    }
    return outcomes;
  });
}

const replayOf = (item: BatchItem) => item.event.replay ?? '';
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
