// The projects time can be booked to: this plugin's own copy, kept from project-costing's
// project.upserted events (it never reads that plugin's tables). Each event carries the whole
// project, so applying it twice, or an older one after a newer, converges on what it says; the
// kernel's inbox delivers each event once anyway. Activities no longer listed stay (entries point
// at them) but are marked not current, so new time cannot be booked to them.
import type { EventEnvelope, Json, PluginContext, PluginSubscription } from '@erp/sdk';
import { PROJECT_UPSERTED, type ProjectUpsertedPayload } from './events.js';

async function upserted(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const p = event.payload as unknown as ProjectUpsertedPayload;
  await ctx.db.query(
    `insert into projects (id, code, name, client, status, currency, starts_on, ends_on)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name,
       client = excluded.client, status = excluded.status, currency = excluded.currency,
       starts_on = excluded.starts_on, ends_on = excluded.ends_on, updated_at = now()`,
    [p.projectId, p.code, p.name, p.client, p.status, p.currency, p.startsOn ?? null, p.endsOn ?? null],
  );
  const ids = p.activities.map((a) => a.activityId);
  await ctx.db.query(
    'update activities set current = false where project_id = $1 and not (id = any($2::uuid[]))',
    [p.projectId, ids],
  );
  for (const a of p.activities) {
    await ctx.db.query(
      `insert into activities (id, project_id, code, name, starts_on, ends_on, current)
       values ($1, $2, $3, $4, $5, $6, true)
       on conflict (tenant_id, id) do update set project_id = excluded.project_id, code = excluded.code,
         name = excluded.name, starts_on = excluded.starts_on, ends_on = excluded.ends_on, current = true`,
      [a.activityId, p.projectId, a.code, a.name, a.startsOn ?? null, a.endsOn ?? null] as Json[],
    );
  }
}

export const projectSubscriptions: Record<string, PluginSubscription> = {
  'project-upserted': { event: PROJECT_UPSERTED, handler: upserted },
};
