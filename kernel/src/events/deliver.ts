// Runs one delivery of one event to one subscriber, exactly once in effect: the handler's
// transaction is the event's tenant's, and its first statement claims the inbox row. A second
// delivery of the same event (JetStream redelivery after a lost ack, a lease that ran out while
// the first was still running) either waits on that row and then finds it, or finds it at once,
// and changes nothing. `finish` adds work to the same transaction (deleting the queue row).
import type { Sql, TenantTx } from '../tenancy/index.js';
import type { Subscription } from './subscriptions.js';
import type { EventEnvelope } from './types.js';

export async function deliverOnce(
  tenantTx: TenantTx,
  sub: Subscription,
  event: EventEnvelope,
  finish?: (sql: Sql) => Promise<void>,
): Promise<'handled' | 'duplicate'> {
  return tenantTx.run(event.tenantId, async (sql) => {
    const first = await sql.one(
      `insert into erp.event_inbox (tenant_id, subscriber, event_id, replay) values ($1, $2, $3, $4)
       on conflict do nothing returning 1 as first`,
      [event.tenantId, sub.key, event.id, event.replay ?? ''],
    );
    if (first) await sub.handler(sql, event);
    if (finish) await finish(sql);
    return first ? 'handled' : 'duplicate';
  });
}
