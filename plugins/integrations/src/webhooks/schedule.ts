// Wakes an endpoint's pump job after `delayMs`. Several pumps of one endpoint may be queued; the
// first to lock the endpoint works, the others find it locked or nothing due and stop.
import type { Ctx } from '../shared/index.js';

export const PUMP_JOB = 'webhook-pump';

export async function schedulePump(ctx: Ctx, endpointId: string, delayMs: number): Promise<void> {
  await ctx.jobs.enqueue(PUMP_JOB, { endpointId }, delayMs > 0 ? { delaySeconds: delayMs / 1000 } : {});
}
