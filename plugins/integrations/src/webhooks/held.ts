// Deliveries held while their endpoint is disabled: queued (bounded per endpoint, the overflow
// counted), released in event order when the endpoint is enabled again, or expired with the
// reason recorded (a dead letter) once they are older than the tenant's retention window.
import type { Ctx } from '../shared/index.js';
import { settingsOf } from './settings.js';

/** Whether a held delivery fits the endpoint's queue; if not, the drop is counted. */
export async function holdRoom(ctx: Ctx, endpointId: string): Promise<boolean> {
  const { maxHeldDeliveries } = settingsOf(ctx);
  // Events fan out in concurrent transactions: without the endpoint's row lock, two of them could
  // both count the queue one short of full and both hold, past the bound. The lock lasts until the
  // caller's delivery row commits, and the next one counts it.
  await ctx.db.query('select 1 from endpoints where id = $1 for update', [endpointId]);
  const held = await ctx.db.one<{ n: number }>(
    `select count(*)::int as n from (select 1 from deliveries where endpoint_id = $1 and held
       limit $2) h`,
    [endpointId, maxHeldDeliveries],
  );
  if ((held?.n ?? 0) < maxHeldDeliveries) return true;
  await ctx.db.query('update endpoints set held_dropped = held_dropped + 1 where id = $1', [endpointId]);
  return false;
}

/** On enable: what is past the window expires, the rest becomes due now and goes in event order. */
export async function releaseHeld(
  ctx: Ctx,
  endpointId: string,
): Promise<{ released: number; expired: number; dropped: number }> {
  const expired = await expireHeld(ctx, endpointId);
  const released = await ctx.db.query(
    `update deliveries set held = false, next_attempt_at = now(), updated_at = now()
      where endpoint_id = $1 and held returning 1`,
    [endpointId],
  );
  const e = await ctx.db.one<{ dropped: number }>(
    'select held_dropped as dropped from endpoints where id = $1',
    [endpointId],
  );
  await ctx.db.query('update endpoints set held_dropped = 0 where id = $1', [endpointId]);
  return { released: released.length, expired, dropped: e?.dropped ?? 0 };
}

/** Held past the retention window: a dead letter whose last error says so (replayable like any). */
export async function expireHeld(ctx: Ctx, endpointId: string | null = null): Promise<number> {
  const { heldRetentionSeconds } = settingsOf(ctx);
  const expired = await ctx.db.query(
    `update deliveries set held = false, status = 'dead', updated_at = now(),
            last_error = 'expired: held longer than ' || $1 || ' s while the endpoint was disabled'
      where held and created_at < now() - make_interval(secs => $1)
        and ($2::uuid is null or endpoint_id = $2) returning 1`,
    [heldRetentionSeconds, endpointId],
  );
  return expired.length;
}
