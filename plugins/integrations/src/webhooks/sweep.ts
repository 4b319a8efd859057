// The safety net under the pump's self-scheduling: once a minute, wake the pump of every enabled
// endpoint with a delivery due, so a wake-up lost to a race or a crash costs at most a minute.
import type { Ctx } from '../shared/index.js';
import { schedulePump } from './schedule.js';

export async function sweepEndpoints(ctx: Ctx): Promise<void> {
  const due = await ctx.db.query<{ id: string }>(
    `select e.id from endpoints e where e.enabled and exists (
       select 1 from deliveries d where d.endpoint_id = e.id and d.status = 'pending' and d.next_attempt_at <= now())`,
  );
  for (const e of due) await schedulePump(ctx, e.id, 0);
}
