// Reading and locking entries, and the checks every change to one goes through.
import type { Json, PluginContext } from '@erp/sdk';
import { notFound, refuse } from '../shared/index.js';
import type { EntryStatus, Step } from '../workflow/index.js';

export interface Entry {
  id: string;
  no: string;
  userId: string;
  projectId: string;
  projectCode: string | null;
  activityId: string | null;
  workDate: string;
  startedAt: string | null;
  endedAt: string | null;
  hours: string | null;
  billable: boolean;
  note: string | null;
  source: 'timer' | 'manual' | 'import' | 'reversal';
  status: EntryStatus;
  step: Step | null;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
  flagged: boolean;
  flagReason: string | null;
  rejectReason: string | null;
  billRate: string | null;
  billCurrency: string | null;
  billAmount: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
}

export const ENTRY_COLUMNS = `e.id, e.no::text as no, e.user_id as "userId", e.project_id as "projectId",
  p.code as "projectCode", e.activity_id as "activityId", e.work_date::text as "workDate",
  iso(e.started_at) as "startedAt", iso(e.ended_at) as "endedAt", trim_scale(e.hours)::text as hours,
  e.billable, e.note, e.source, e.status, e.step, e.reverses_entry_id as "reversesEntryId",
  (select r.id from entries r where r.reverses_entry_id = e.id) as "reversedByEntryId",
  e.flagged, e.flag_reason as "flagReason", e.reject_reason as "rejectReason",
  trim_scale(e.bill_rate)::text as "billRate", e.bill_currency as "billCurrency",
  e.bill_amount::text as "billAmount", iso(e.submitted_at) as "submittedAt", iso(e.approved_at) as "approvedAt"`;

export const ENTRY_FROM = 'entries e left join projects p on p.id = e.project_id';

export async function readEntry(ctx: PluginContext, id: string): Promise<Entry | null> {
  return ctx.db.one<Entry>(`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.id = $1`, [id]);
}

/** The entry, locked for the rest of the unit of work; 404 when the tenant has none. */
export async function lockEntry(ctx: PluginContext, id: string, field = '/params/id'): Promise<Entry> {
  await ctx.db.query('select 1 from entries where id = $1 for update', [id]);
  const e = await readEntry(ctx, id);
  if (!e) notFound('Time entry', field);
  return e;
}

/** The owner's own entry that may still change (draft or rejected). */
export function assertEditable(e: Entry, userId: string, field = '/params/id'): void {
  if (e.userId !== userId)
    refuse(403, 'ENTRY_NOT_OWN', 'Not your entry', field, 'only its owner may change it');
  if (e.status === 'approved')
    refuse(409, 'ENTRY_LOCKED', 'Entry locked', field, 'approved entries are locked: reverse it instead');
  if (e.status === 'submitted')
    refuse(
      409,
      'ENTRY_SUBMITTED',
      'Entry awaiting approval',
      field,
      'submitted entries change only after a rejection',
    );
  if (e.status === 'running') refuse(409, 'TIMER_RUNNING', 'Timer running', field, 'stop the timer first');
}

/**
 * Time with a start and end may not overlap another timed entry of the same person (a running
 * timer counts up to now). Reversed entries and their reversals are out of the picture.
 */
export async function assertNoOverlap(
  ctx: PluginContext,
  userId: string,
  startedAt: string,
  endedAt: string | null,
  field: string,
  exceptId: string | null = null,
): Promise<void> {
  const clash = await ctx.db.one<{ id: string }>(
    `select e.id from entries e
      where e.user_id = $1 and e.started_at is not null and e.source <> 'reversal'
        and ($4::uuid is null or e.id <> $4)
        and not exists (select 1 from entries r where r.reverses_entry_id = e.id)
        and e.started_at < coalesce($3::timestamptz, 'infinity'::timestamptz)
        and $2::timestamptz < coalesce(e.ended_at, greatest(now(), e.started_at + interval '1 second'))
      limit 1`,
    [userId, startedAt, endedAt, exceptId] as Json[],
  );
  if (clash)
    refuse(
      409,
      'ENTRY_OVERLAP',
      'Overlapping time',
      field,
      `overlaps time entry ${clash.id} of the same person`,
    );
}

/** The hours of a day may not add up to more than 24 for one person. */
export async function assertDayFits(
  ctx: PluginContext,
  userId: string,
  workDate: string,
  hours: string,
  field: string,
  exceptId: string | null = null,
): Promise<void> {
  const row = await ctx.db.one<{ over: boolean }>(
    `select coalesce(sum(hours), 0) + $3::numeric > 24 as over from entries
      where user_id = $1 and work_date = $2 and hours is not null and ($4::uuid is null or id <> $4)`,
    [userId, workDate, hours, exceptId] as Json[],
  );
  if (row?.over)
    refuse(422, 'DAY_OVER_24H', 'More than 24 hours in a day', field, 'the day would exceed 24 hours');
}

/** Hours between two instants, to 4 decimals (0.36 s), half-up, as Postgres numeric computes it. */
export async function hoursBetween(ctx: PluginContext, from: string, to: string): Promise<string> {
  const row = await ctx.db.one<{ h: string }>(
    `select trim_scale(round(extract(epoch from ($2::timestamptz - $1::timestamptz)) / 3600, 4))::text as h`,
    [from, to],
  );
  return row!.h;
}
