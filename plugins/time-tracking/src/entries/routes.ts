// Manual entries: record, change, delete and list one's own time, submit it for approval, and
// correct approved time with a reversing entry. A timed entry (start and end) may not overlap the
// person's other timed entries; hours are positive and a day holds at most 24 of them.
import { type Json, type PluginContext, type PluginRoute, route, schema } from '@erp/sdk';
import { bookable } from '../projects/index.js';
import { DateOnly, DateTime, Hours, IdParams, me, Note, refuse, settings, Uuid } from '../shared/index.js';
import { onSubmit } from '../workflow/index.js';
import { finalize } from './finalize.js';
import {
  assertDayFits,
  assertEditable,
  assertNoOverlap,
  ENTRY_COLUMNS,
  ENTRY_FROM,
  type Entry,
  hoursBetween,
  lockEntry,
  readEntry,
} from './store.js';

const EntryFields = {
  projectId: Uuid,
  activityId: { type: ['string', 'null'], format: 'uuid' },
  workDate: DateOnly,
  hours: Hours,
  startedAt: DateTime,
  endedAt: DateTime,
  billable: { type: 'boolean' },
  note: Note,
} as const;

const NewEntry = schema({
  type: 'object',
  additionalProperties: false,
  required: ['projectId', 'workDate'],
  properties: EntryFields,
} as const);

const EntryChange = schema({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: EntryFields,
} as const);

export const ListQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    from: DateOnly,
    to: DateOnly,
    projectId: Uuid,
    userId: Uuid,
    status: { type: 'string', enum: ['running', 'draft', 'submitted', 'approved', 'rejected'] },
    limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
  },
} as const);

const Submit = schema({
  type: 'object',
  additionalProperties: false,
  required: ['entryIds'],
  properties: { entryIds: { type: 'array', minItems: 1, maxItems: 500, uniqueItems: true, items: Uuid } },
} as const);

const Reverse = schema({
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
} as const);

interface Shape {
  projectId: string;
  activityId: string | null;
  workDate: string;
  hours: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** Hours from the body: given, or from start and end (not both); positive; fits the day; no overlap. */
export async function checkShape(
  ctx: PluginContext,
  userId: string,
  s: { hours?: string | null; startedAt?: string | null; endedAt?: string | null; workDate: string },
  base: string,
  exceptId: string | null,
): Promise<{ hours: string; startedAt: string | null; endedAt: string | null }> {
  const timed = s.startedAt != null || s.endedAt != null;
  let hours = s.hours ?? null;
  if (timed) {
    if (s.startedAt == null)
      refuse(422, 'START_REQUIRED', 'Start required', `${base}/startedAt`, 'is required with endedAt');
    if (s.endedAt == null)
      refuse(422, 'END_REQUIRED', 'End required', `${base}/endedAt`, 'is required with startedAt');
    if (Date.parse(s.endedAt) <= Date.parse(s.startedAt))
      refuse(422, 'NEGATIVE_TIME', 'End before start', `${base}/endedAt`, 'must be after startedAt');
    const computed = await hoursBetween(ctx, s.startedAt, s.endedAt);
    if (hours != null && hours !== computed && Number(hours) !== Number(computed))
      refuse(
        422,
        'HOURS_MISMATCH',
        'Hours do not match the times',
        `${base}/hours`,
        `the times give ${computed}`,
      );
    hours = computed;
  }
  if (hours == null)
    refuse(422, 'HOURS_REQUIRED', 'Hours required', `${base}/hours`, 'give hours, or startedAt and endedAt');
  if (/^0(\.0+)?$/.test(hours))
    refuse(422, 'HOURS_ZERO', 'No time', `${base}/hours`, 'must be greater than 0');
  if (Number(hours) > 24)
    refuse(422, 'HOURS_OVER_24', 'More than a day', `${base}/hours`, 'must be at most 24');
  await assertDayFits(ctx, userId, s.workDate, hours, `${base}/hours`, exceptId);
  if (timed) await assertNoOverlap(ctx, userId, s.startedAt!, s.endedAt!, `${base}/startedAt`, exceptId);
  return { hours, startedAt: s.startedAt ?? null, endedAt: s.endedAt ?? null };
}

/** Inserts a checked entry and records it in the audit chain. */
export async function insertEntry(
  ctx: PluginContext,
  userId: string,
  e: Shape & { billable: boolean; note: string | null; source: 'manual' | 'import' | 'timer' },
): Promise<string> {
  const row = await ctx.db.one<{ id: string }>(
    `insert into entries (user_id, project_id, activity_id, work_date, started_at, ended_at, hours, billable,
       note, source, status, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11) returning id`,
    [
      userId,
      e.projectId,
      e.activityId,
      e.workDate,
      e.startedAt,
      e.endedAt,
      e.hours,
      e.billable,
      e.note,
      e.source,
      ctx.user.id,
    ] as Json[],
  );
  await ctx.audit.record({
    action: 'time.entry.created',
    resource: 'time-entry',
    resourceId: row!.id,
    data: { userId, ...e } as Json,
  });
  return row!.id;
}

export interface EntryFilter {
  userId?: string;
  from?: string;
  to?: string;
  projectId?: string;
  status?: string;
  limit?: number;
}

export async function listEntries(ctx: PluginContext, q: EntryFilter) {
  const entries = await ctx.db.query<Entry>(
    `select ${ENTRY_COLUMNS} from ${ENTRY_FROM}
      where ($1::uuid is null or e.user_id = $1) and ($2::date is null or e.work_date >= $2)
        and ($3::date is null or e.work_date <= $3) and ($4::uuid is null or e.project_id = $4)
        and ($5::text is null or e.status = $5)
      order by e.work_date, e.started_at nulls last, e.no limit $6`,
    [
      q.userId ?? null,
      q.from ?? null,
      q.to ?? null,
      q.projectId ?? null,
      q.status ?? null,
      q.limit ?? 500,
    ] as Json[],
  );
  return { entries };
}

export const entryRoutes: Record<string, PluginRoute> = {
  'GET /entries': route({
    permission: 'time.entries.read-own',
    summary: "The caller's own time entries",
    query: ListQuery,
    handler: (ctx, { query }) => listEntries(ctx, { ...query, userId: me(ctx) }),
  }),
  'GET /team/entries': route({
    permission: 'time.entries.read-all',
    summary: "Everyone's time entries",
    query: ListQuery,
    handler: (ctx, { query }) => listEntries(ctx, query),
  }),
  'GET /entries/:id': route({
    permission: 'time.entries.read-own',
    params: IdParams,
    async handler(ctx, { params }) {
      const e = await readEntry(ctx, params.id);
      if (!e || e.userId !== me(ctx))
        refuse(404, 'TIME_ENTRY_NOT_FOUND', 'Time entry not found', '/params/id', 'does not exist');
      return e;
    },
  }),
  'POST /entries': route({
    permission: 'time.entries.write-own',
    summary: 'Record time by hand (hours, or a start and end)',
    body: NewEntry,
    status: 201,
    async handler(ctx, { body }) {
      const userId = me(ctx);
      await bookable(ctx, body, {
        project: '/body/projectId',
        activity: '/body/activityId',
        workDate: '/body/workDate',
      });
      const shape = await checkShape(ctx, userId, body, '/body', null);
      const id = await insertEntry(ctx, userId, {
        projectId: body.projectId,
        activityId: body.activityId ?? null,
        workDate: body.workDate,
        ...shape,
        billable: body.billable ?? true,
        note: body.note ?? null,
        source: 'manual',
      });
      return readEntry(ctx, id);
    },
  }),
  'PATCH /entries/:id': route({
    permission: 'time.entries.write-own',
    summary: 'Change a draft or rejected entry of ones own',
    params: IdParams,
    body: EntryChange,
    async handler(ctx, { params, body }) {
      const userId = me(ctx);
      const e = await lockEntry(ctx, params.id);
      assertEditable(e, userId);
      const next = {
        projectId: body.projectId ?? e.projectId,
        activityId: body.activityId !== undefined ? body.activityId : body.projectId ? null : e.activityId,
        workDate: body.workDate ?? e.workDate,
        billable: body.billable ?? e.billable,
        note: body.note ?? e.note,
      };
      await bookable(ctx, next, {
        project: '/body/projectId',
        activity: '/body/activityId',
        workDate: '/body/workDate',
      });
      const retimed = body.startedAt !== undefined || body.endedAt !== undefined;
      const shape = await checkShape(
        ctx,
        userId,
        {
          workDate: next.workDate,
          hours: body.hours ?? (retimed ? null : e.startedAt ? null : e.hours),
          startedAt: body.startedAt ?? (body.hours ? null : e.startedAt),
          endedAt: body.endedAt ?? (body.hours ? null : e.endedAt),
        },
        '/body',
        e.id,
      );
      await ctx.db.query(
        `update entries set project_id = $2, activity_id = $3, work_date = $4, billable = $5, note = $6,
           hours = $7, started_at = $8, ended_at = $9, status = 'draft', reject_reason = null, updated_at = now()
         where id = $1`,
        [
          e.id,
          next.projectId,
          next.activityId,
          next.workDate,
          next.billable,
          next.note,
          shape.hours,
          shape.startedAt,
          shape.endedAt,
        ] as Json[],
      );
      await ctx.audit.record({
        action: 'time.entry.changed',
        resource: 'time-entry',
        resourceId: e.id,
        data: { before: e as unknown as Json, change: body as Json },
      });
      return readEntry(ctx, e.id);
    },
  }),
  'DELETE /entries/:id': route({
    permission: 'time.entries.write-own',
    params: IdParams,
    status: 204,
    async handler(ctx, { params }) {
      const e = await lockEntry(ctx, params.id);
      assertEditable(e, me(ctx));
      await ctx.db.query('delete from approvals where entry_id = $1', [e.id]);
      await ctx.db.query('delete from entries where id = $1', [e.id]);
      await ctx.audit.record({
        action: 'time.entry.deleted',
        resource: 'time-entry',
        resourceId: e.id,
        data: e as unknown as Json,
      });
    },
  }),
  'POST /entries/submit': route({
    permission: 'time.entries.write-own',
    summary: 'Submit draft or rejected entries of ones own for approval (all or none)',
    body: Submit,
    async handler(ctx, { body }) {
      const userId = me(ctx);
      const steps = settings(ctx).approvalSteps;
      const out: Entry[] = [];
      for (const [i, id] of body.entryIds.entries()) {
        const e = await lockEntry(ctx, id, `/body/entryIds/${i}`);
        assertEditable(e, userId, `/body/entryIds/${i}`);
        await submitEntry(ctx, e, steps);
        out.push((await readEntry(ctx, id))!);
      }
      return { entries: out };
    },
  }),
  'POST /entries/:id/reverse': route({
    permission: 'time.entries.write-own',
    summary:
      'Correct an approved entry of ones own: a reversing entry (negative hours) goes through approval',
    params: IdParams,
    body: Reverse,
    status: 201,
    async handler(ctx, { params, body }) {
      const userId = me(ctx);
      const e = await lockEntry(ctx, params.id);
      if (e.userId !== userId)
        refuse(403, 'ENTRY_NOT_OWN', 'Not your entry', '/params/id', 'only its owner may reverse it');
      if (e.status !== 'approved')
        refuse(
          409,
          'ENTRY_NOT_APPROVED',
          'Not approved',
          '/params/id',
          'only approved entries are reversed; change or delete it instead',
        );
      if (e.source === 'reversal')
        refuse(409, 'ENTRY_IS_REVERSAL', 'A reversal', '/params/id', 'a reversing entry cannot be reversed');
      if (e.reversedByEntryId)
        refuse(
          409,
          'ENTRY_ALREADY_REVERSED',
          'Already reversed',
          '/params/id',
          `reversed by ${e.reversedByEntryId}`,
        );
      const row = await ctx.db.one<{ id: string }>(
        `insert into entries (user_id, project_id, activity_id, work_date, hours, billable, note, source, status,
           reverses_entry_id, created_by)
         values ($1, $2, $3, $4, -($5::numeric), $6, $7, 'reversal', 'draft', $8, $1) returning id`,
        [userId, e.projectId, e.activityId, e.workDate, e.hours, e.billable, body.reason, e.id] as Json[],
      );
      await ctx.audit.record({
        action: 'time.entry.reversal-created',
        resource: 'time-entry',
        resourceId: row!.id,
        data: { reverses: e.id, reason: body.reason },
      });
      await submitEntry(ctx, (await readEntry(ctx, row!.id))!, settings(ctx).approvalSteps);
      return readEntry(ctx, row!.id);
    },
  }),
};

async function submitEntry(
  ctx: PluginContext,
  e: Entry,
  steps: ReturnType<typeof settings>['approvalSteps'],
) {
  const next = onSubmit(steps);
  await ctx.db.query(
    `update entries set status = 'submitted', step = $2, submitted_at = now(), reject_reason = null, updated_at = now()
      where id = $1`,
    [e.id, next.step ?? steps[0] ?? 'approver'],
  );
  await ctx.db.query(
    `insert into approvals (entry_id, step, decision, decided_by) values ($1, 'submission', 'submitted', $2)`,
    [e.id, ctx.user.id],
  );
  await ctx.audit.record({ action: 'time.entry.submitted', resource: 'time-entry', resourceId: e.id });
  if (next.status === 'approved') await finalize(ctx, e.id);
}
