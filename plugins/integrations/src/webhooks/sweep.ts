// The safety net under the pump's self-scheduling: once a minute, wake the pump of every enabled
// endpoint with a delivery due, so a wake-up lost to a race or a crash costs at most a minute;
// and expire what disabled endpoints held past the retention window.
import type { Ctx } from '../shared/index.js';
import { expireHeld } from './held.js';
import { schedulePump } from './schedule.js';

export async function sweepEndpoints(ctx: Ctx): Promise<void> {
  const due = await ctx.db.query<{ id: string }>(
    `select e.id from endpoints e where e.enabled and exists (
       select 1 from deliveries d where d.endpoint_id = e.id and d.status = 'pending' and not d.held and d.next_attempt_at <= now())`,
  );
  await expireHeld(ctx);
  // A delivery held by a fan-out that raced the endpoint's enabling is released here.
  const raced = await ctx.db.query<{ id: string }>(
    `update deliveries d set held = false, next_attempt_at = now() from endpoints e
      where e.id = d.endpoint_id and e.enabled and d.held returning d.endpoint_id as id`,
  );
  const wake = new Set([...due, ...raced].map((e) => e.id));
  for (const id of wake) await schedulePump(ctx, id, 0);
}
