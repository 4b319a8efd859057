// The running timer: one per person (a second start is refused, and a unique index makes it so
// under concurrency too). Stopping it turns it into a draft entry with the hours it ran. A timer
// running longer than the tenant's limit (timerLimitHours) is reported as over the limit while it
// runs, and the entry it becomes is flagged for the approver.
import { type Json, type PluginContext, type PluginRoute, route, schema } from '@erp/sdk';
import {
  assertNoOverlap,
  ENTRY_COLUMNS,
  ENTRY_FROM,
  type Entry,
  hoursBetween,
  readEntry,
} from '../entries/index.js';
import { bookable } from '../projects/index.js';
import { DateTime, me, Note, refuse, settings, Uuid } from '../shared/index.js';

const Start = schema({
  type: 'object',
  additionalProperties: false,
  required: ['projectId'],
  properties: {
    projectId: Uuid,
    activityId: { type: ['string', 'null'], format: 'uuid' },
    billable: { type: 'boolean' },
    note: Note,
    startedAt: { ...DateTime, description: 'When the work began (default now; not in the future)' },
  },
} as const);

const Stop = schema({
  type: 'object',
  additionalProperties: false,
  properties: { endedAt: { ...DateTime, description: 'When the work ended (default now)' } },
} as const);

const RUNNING = `${ENTRY_COLUMNS}, extract(epoch from now() - e.started_at) / 3600 > $1::numeric as "overLimit"`;

async function running(ctx: PluginContext, userId: string | null) {
  return ctx.db.query<Entry & { overLimit: boolean }>(
    `select ${RUNNING} from ${ENTRY_FROM} where e.status = 'running' and ($2::uuid is null or e.user_id = $2)
      order by e.started_at`,
    [settings(ctx).timerLimitHours, userId] as Json[],
  );
}

export const timerRoutes: Record<string, PluginRoute> = {
  'GET /timer': route({
    permission: 'time.entries.read-own',
    summary: "The caller's running timer (null when none), with overLimit",
    async handler(ctx) {
      const [t] = await running(ctx, me(ctx));
      return { timer: t ?? null };
    },
  }),
  'GET /team/timers': route({
    permission: 'time.entries.read-all',
    summary: 'Every running timer, with those over the limit flagged',
    handler: async (ctx) => ({ timers: await running(ctx, null) }),
  }),
  'POST /timer/start': route({
    permission: 'time.entries.write-own',
    body: Start,
    status: 201,
    async handler(ctx, { body }) {
      const userId = me(ctx);
      const at = await ctx.db.one<{ at: string; future: boolean; day: string }>(
        `select iso(coalesce($1::timestamptz, now())) as at, coalesce($1::timestamptz > now() + interval '1 minute', false) as future,
                (coalesce($1::timestamptz, now()) at time zone 'UTC')::date::text as day`,
        [body.startedAt ?? null],
      );
      if (at!.future)
        refuse(422, 'START_IN_FUTURE', 'Start in the future', '/body/startedAt', 'must not be in the future');
      const other = await ctx.db.one<{ id: string }>(
        `select id from entries where user_id = $1 and status = 'running'`,
        [userId],
      );
      if (other)
        refuse(
          409,
          'TIMER_RUNNING',
          'Timer already running',
          '/body',
          `timer ${other.id} is running: stop it first`,
        );
      await bookable(
        ctx,
        { projectId: body.projectId, activityId: body.activityId, workDate: at!.day },
        {
          project: '/body/projectId',
          activity: '/body/activityId',
          workDate: '/body/startedAt',
        },
      );
      await assertNoOverlap(ctx, userId, at!.at, null, '/body/startedAt');
      const row = await ctx.db.one<{ id: string }>(
        `insert into entries (user_id, project_id, activity_id, work_date, started_at, billable, note, source, status, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, 'timer', 'running', $1)
         on conflict (tenant_id, user_id) where status = 'running' do nothing returning id`,
        [
          userId,
          body.projectId,
          body.activityId ?? null,
          at!.day,
          at!.at,
          body.billable ?? true,
          body.note ?? null,
        ] as Json[],
      );
      if (!row)
        refuse(409, 'TIMER_RUNNING', 'Timer already running', '/body', 'a timer is running: stop it first');
      await ctx.audit.record({
        action: 'time.timer.started',
        resource: 'time-entry',
        resourceId: row.id,
        data: body as Json,
      });
      return readEntry(ctx, row.id);
    },
  }),
  'POST /timer/stop': route({
    permission: 'time.entries.write-own',
    body: Stop,
    async handler(ctx, { body }) {
      const userId = me(ctx);
      const t = await ctx.db.one<{ id: string; startedAt: string; endedAt: string; over: boolean }>(
        `select id, iso(started_at) as "startedAt", iso(coalesce($2::timestamptz, now())) as "endedAt",
                extract(epoch from coalesce($2::timestamptz, now()) - started_at) / 3600 > $3::numeric as over
           from entries where user_id = $1 and status = 'running' for update`,
        [userId, body.endedAt ?? null, settings(ctx).timerLimitHours] as Json[],
      );
      if (!t) refuse(409, 'NO_TIMER', 'No timer running', '/body', 'start a timer first');
      if (Date.parse(t.endedAt) <= Date.parse(t.startedAt))
        refuse(422, 'NEGATIVE_TIME', 'End before start', '/body/endedAt', 'must be after the timer started');
      if (Date.parse(t.endedAt) > Date.now() + 60_000)
        refuse(422, 'END_IN_FUTURE', 'End in the future', '/body/endedAt', 'must not be in the future');
      const hours = await hoursBetween(ctx, t.startedAt, t.endedAt);
      if (Number(hours) > 24)
        refuse(
          422,
          'HOURS_OVER_24',
          'More than a day',
          '/body/endedAt',
          'a timer entry holds at most 24 hours: give endedAt',
        );
      if (/^0(\.0+)?$/.test(hours))
        refuse(422, 'HOURS_ZERO', 'No time', '/body/endedAt', 'the timer ran for no time');
      await assertNoOverlap(ctx, userId, t.startedAt, t.endedAt, '/body/endedAt', t.id);
      await ctx.db.query(
        `update entries set status = 'draft', ended_at = $2, hours = $3, flagged = $4,
           flag_reason = case when $4 then 'timer-over-limit' end, updated_at = now() where id = $1`,
        [t.id, t.endedAt, hours, t.over],
      );
      await ctx.audit.record({
        action: 'time.timer.stopped',
        resource: 'time-entry',
        resourceId: t.id,
        data: { endedAt: t.endedAt, hours, overLimit: t.over },
      });
      return readEntry(ctx, t.id);
    },
  }),
};
