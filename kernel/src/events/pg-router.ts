// The embedded bus's relay: moves committed outbox rows to the Postgres delivery queue, one row per
// durable subscriber of the event's type, and to each catch-all subscriber (subject '*') whose
// plugin the event's tenant runs. Several instances route at once without overlap: each claims
// its batch of outbox rows with FOR UPDATE SKIP LOCKED, and the rows are marked relayed in the
// same transaction that queues their deliveries.
import type { StepResult, WorkerTx } from '../workers/index.js';
import { CHANNELS } from '../workers/index.js';

export const ROUTE_BATCH = 500;

export async function routeOutboxBatch(workerTx: WorkerTx, batch = ROUTE_BATCH): Promise<StepResult> {
  const routed = await workerTx.run(async (sql) => {
    const row = await sql.one<{ routed: number; queued: number }>(
      `with batch as (
         select tenant_id, id, seq, subject from erp.event_outbox
          where relayed_at is null order by seq limit $1 for update skip locked),
       fan as (
         insert into erp.event_deliveries (tenant_id, subscriber, event_id)
         select b.tenant_id, s.key, b.id from batch b join erp.event_subscribers s
             on s.subject = b.subject
             -- A catch-all subscriber gets only the events of tenants that installed its plugin.
             or (s.subject = '*' and exists (select 1 from erp.plugin_installations i
                   where i.tenant_id = b.tenant_id and i.plugin_id = s.plugin and i.status = 'enabled'))
          order by b.seq
         returning 1),
       done as (
         update erp.event_outbox o set relayed_at = now() from batch b
          where o.tenant_id = b.tenant_id and o.id = b.id returning 1)
       select (select count(*) from done)::int as routed, (select count(*) from fan)::int as queued`,
      [batch],
    );
    if (row && row.queued > 0) await sql.query(`select pg_notify('${CHANNELS.deliveries}', '')`);
    return row?.routed ?? 0;
  });
  return routed === batch ? 'more' : 'idle';
}
