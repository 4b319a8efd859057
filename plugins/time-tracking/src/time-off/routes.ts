// Time off: a person records their own (vacation, sick, holiday, other) for a date range, whole
// days or some hours per day, and may cancel it. Each change is announced as time.off.changed so
// resource planning takes it off capacity.
import { type Json, type PluginContext, type PluginRoute, route, schema } from '@erp/sdk';
import { DateOnly, Hours, IdParams, me, Note, notFound, refuse } from '../shared/index.js';

const NewTimeOff = schema({
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'startsOn', 'endsOn'],
  properties: {
    kind: { type: 'string', enum: ['vacation', 'sick', 'holiday', 'other'] },
    startsOn: DateOnly,
    endsOn: DateOnly,
    hoursPerDay: { ...Hours, description: 'Hours off per day; omit for whole working days' },
    note: Note,
  },
} as const);

const Query = schema({
  type: 'object',
  additionalProperties: false,
  properties: { from: DateOnly, to: DateOnly },
} as const);

const COLUMNS = `id, user_id as "userId", kind, starts_on::text as "startsOn", ends_on::text as "endsOn",
  trim_scale(hours_per_day)::text as "hoursPerDay", note, cancelled`;

interface TimeOff {
  id: string;
  userId: string;
  kind: 'vacation' | 'sick' | 'holiday' | 'other';
  startsOn: string;
  endsOn: string;
  hoursPerDay: string | null;
  cancelled: boolean;
}

async function announce(ctx: PluginContext, t: TimeOff) {
  await ctx.events.publish('time.off.changed', {
    timeOffId: t.id,
    userId: t.userId,
    kind: t.kind,
    startsOn: t.startsOn,
    endsOn: t.endsOn,
    hoursPerDay: t.hoursPerDay,
    cancelled: t.cancelled,
  });
}

const list = (ctx: PluginContext, userId: string | null, q: { from?: string; to?: string }) =>
  ctx.db.query(
    `select ${COLUMNS} from time_off where ($1::uuid is null or user_id = $1)
       and ($2::date is null or ends_on >= $2) and ($3::date is null or starts_on <= $3) order by starts_on, id`,
    [userId, q.from ?? null, q.to ?? null],
  );

export const timeOffRoutes: Record<string, PluginRoute> = {
  'GET /time-off': route({
    permission: 'time.entries.read-own',
    query: Query,
    handler: async (ctx, { query }) => ({ timeOff: await list(ctx, me(ctx), query) }),
  }),
  'GET /team/time-off': route({
    permission: 'time.entries.read-all',
    query: Query,
    handler: async (ctx, { query }) => ({ timeOff: await list(ctx, null, query) }),
  }),
  'POST /time-off': route({
    permission: 'time.entries.write-own',
    body: NewTimeOff,
    status: 201,
    async handler(ctx, { body }) {
      const userId = me(ctx);
      if (body.endsOn < body.startsOn)
        refuse(
          422,
          'PERIOD_REVERSED',
          'Ends before it starts',
          '/body/endsOn',
          'must not be before startsOn',
        );
      if (body.hoursPerDay !== undefined && Number(body.hoursPerDay) === 0)
        refuse(422, 'HOURS_ZERO', 'No time', '/body/hoursPerDay', 'must be greater than 0');
      const clash = await ctx.db.one<{ id: string }>(
        'select id from time_off where user_id = $1 and not cancelled and starts_on <= $3 and ends_on >= $2',
        [userId, body.startsOn, body.endsOn],
      );
      if (clash)
        refuse(
          409,
          'TIME_OFF_OVERLAP',
          'Overlapping time off',
          '/body/startsOn',
          `overlaps time off ${clash.id}`,
        );
      const row = await ctx.db.one<TimeOff>(
        `insert into time_off (user_id, kind, starts_on, ends_on, hours_per_day, note) values ($1, $2, $3, $4, $5, $6)
         returning ${COLUMNS}`,
        [
          userId,
          body.kind,
          body.startsOn,
          body.endsOn,
          body.hoursPerDay ?? null,
          body.note ?? null,
        ] as Json[],
      );
      await announce(ctx, row!);
      await ctx.audit.record({
        action: 'time.off.recorded',
        resource: 'time-off',
        resourceId: row!.id,
        data: body as Json,
      });
      return row;
    },
  }),
  'POST /time-off/:id/cancel': route({
    permission: 'time.entries.write-own',
    params: IdParams,
    async handler(ctx, { params }) {
      const t = await ctx.db.one<TimeOff>(`select ${COLUMNS} from time_off where id = $1 for update`, [
        params.id,
      ]);
      if (!t || t.userId !== me(ctx)) notFound('Time off');
      if (t.cancelled)
        refuse(409, 'TIME_OFF_CANCELLED', 'Already cancelled', '/params/id', 'is already cancelled');
      await ctx.db.query('update time_off set cancelled = true where id = $1', [t.id]);
      const next = { ...t, cancelled: true };
      await announce(ctx, next);
      await ctx.audit.record({ action: 'time.off.cancelled', resource: 'time-off', resourceId: t.id });
      return next;
    },
  }),
};
