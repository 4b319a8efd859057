// An endpoint that keeps failing is disabled: after `disableAfterFailures` consecutive failed
// attempts it receives nothing more (its pending deliveries wait, new events are not queued for
// it) until an admin enables it again. The admin is told by the integrations.endpoint.disabled
// event and an audit entry.
import type { Ctx } from '../shared/index.js';
import type { WebhookSettings } from './settings.js';

/** Adds `failed` to the endpoint's streak; true when that disabled it. */
export async function noteFailures(
  ctx: Ctx,
  e: { id: string; url: string },
  failed: number,
  s: WebhookSettings,
): Promise<boolean> {
  if (failed === 0) return false;
  const row = await ctx.db.one<{ streak: number }>(
    'update endpoints set failure_streak = failure_streak + $2 where id = $1 returning failure_streak as streak',
    [e.id, failed],
  );
  if (!row || row.streak < s.disableAfterFailures) return false;
  const reason = `${row.streak} consecutive failed attempts`;
  const disabled = await ctx.db.one<{ at: string }>(
    `update endpoints set enabled = false, disabled_reason = $2, updated_at = now() where id = $1
     returning iso(updated_at) as at`,
    [e.id, reason],
  );
  await ctx.events.publish('endpoint.disabled', {
    endpointId: e.id,
    url: e.url,
    reason,
    failureStreak: row.streak,
    disabledAt: disabled?.at ?? new Date().toISOString(),
  });
  await ctx.audit.record({
    action: 'integrations.endpoint.disabled',
    resource: 'webhook-endpoint',
    resourceId: e.id,
    data: { reason, failureStreak: row.streak },
  });
  return true;
}
