// Keeps the bus tables small: relayed outbox rows past the retention period (unless a delivery or
// a dead letter still needs them), inbox rows past it plus a day (JetStream's max_age is the same
// retention, so nothing older can be redelivered), and cron ticks past a week. One instance at a
// time prunes (advisory lock), in bounded batches.
import type { WorkerTx } from '../workers/index.js';

const PRUNE_LOCK = 728_813_003;
const BATCH = 5000;

export async function pruneBus(workerTx: WorkerTx, retentionDays: number): Promise<number> {
  return workerTx.run(async (sql) => {
    const lock = await sql.one<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [PRUNE_LOCK]);
    if (!lock?.ok) return 0;
    const outbox = await sql.query(
      `delete from erp.event_outbox o
        where o.ctid = any(array(
          select ctid from erp.event_outbox
           where created_at < now() - make_interval(days => $1) and relayed_at is not null
           limit ${BATCH}))
          and not exists (select 1 from erp.event_deliveries d where d.tenant_id = o.tenant_id and d.event_id = o.id)
          and not exists (select 1 from erp.event_dead_letters d where d.tenant_id = o.tenant_id and d.event_id = o.id)
        returning 1`,
      [retentionDays],
    );
    const inbox = await sql.query(
      `delete from erp.event_inbox where ctid = any(array(
         select ctid from erp.event_inbox where handled_at < now() - make_interval(days => $1) limit ${BATCH}))
       returning 1`,
      [retentionDays + 1],
    );
    await sql.query(`delete from erp.job_ticks where period < now() - interval '7 days'`);
    return outbox.length + inbox.length;
  });
}
