// What this plugin keeps from other plugins' events (it never reads their tables): projects from
// project-costing, time off and approved time from time-tracking. Each handler is an upsert keyed
// by the source's id, so a redelivery changes nothing.
import type { EventEnvelope, Json, PluginContext, PluginSubscription } from '@erp/sdk';

interface ProjectUpserted {
  projectId: string;
  code: string;
  name: string;
  status: string;
  startsOn: string | null;
  endsOn: string | null;
}
interface TimeOffChanged {
  timeOffId: string;
  userId: string;
  kind: string;
  startsOn: string;
  endsOn: string;
  hoursPerDay: string | null;
  cancelled: boolean;
}
interface TimeEntryApproved {
  entryId: string;
  userId: string;
  projectId: string;
  workDate: string;
  hours: string;
  billable: boolean;
}

async function project(ctx: PluginContext, event: EventEnvelope) {
  const p = event.payload as unknown as ProjectUpserted;
  await ctx.db.query(
    `insert into projects (id, code, name, status, starts_on, ends_on) values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, id) do update set code = excluded.code, name = excluded.name, status = excluded.status,
       starts_on = excluded.starts_on, ends_on = excluded.ends_on`,
    [p.projectId, p.code, p.name, p.status, p.startsOn ?? null, p.endsOn ?? null] as Json[],
  );
}

async function timeOff(ctx: PluginContext, event: EventEnvelope) {
  const t = event.payload as unknown as TimeOffChanged;
  await ctx.db.query(
    `insert into time_off (id, user_id, kind, starts_on, ends_on, hours_per_day, cancelled) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (tenant_id, id) do update set kind = excluded.kind, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
       hours_per_day = excluded.hours_per_day, cancelled = excluded.cancelled`,
    [t.timeOffId, t.userId, t.kind, t.startsOn, t.endsOn, t.hoursPerDay, t.cancelled] as Json[],
  );
}

async function approved(ctx: PluginContext, event: EventEnvelope) {
  const e = event.payload as unknown as TimeEntryApproved;
  await ctx.db.query(
    `insert into worked (entry_id, user_id, project_id, work_date, hours, billable) values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, entry_id) do nothing`,
    [e.entryId, e.userId, e.projectId, e.workDate, e.hours, e.billable] as Json[],
  );
}

export const subscriptions: Record<string, PluginSubscription> = {
  'project-upserted': { event: 'project-costing.project.upserted', handler: project },
  'time-off-changed': { event: 'time-tracking.time.off.changed', handler: timeOff },
  'time-entry-approved': { event: 'time-tracking.time.entry.approved', handler: approved },
};
