// Runs one delivery of one event to one subscriber, exactly once in effect: the handler's
// transaction is the event's tenant's, and its first statement claims the inbox row. A second
// delivery of the same event (JetStream redelivery after a lost ack, a lease that ran out while
// the first was still running) either waits on that row and then finds it, or finds it at once,
// and changes nothing. With a Postgres queue row, the same first statement deletes that row: the
// transaction holds its lock until it ends, so no other instance can claim it meanwhile, and a
// rollback puts it back.
import type { TenantTx } from '../tenancy/index.js';
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
    if (first) await sub.handler(sql, event);
    return first ? 'handled' : 'duplicate';
  });
}
