// Overtime of a person over a period, from their recorded time (running timers and rejected
// entries excluded; reversals net against what they reverse), under the tenant's thresholds.
import { type PluginContext, type PluginRoute, route, schema } from '@erp/sdk';
import { DateOnly, me, refuse, settings, Uuid } from '../shared/index.js';
import { computeOvertime, type WorkedHours } from './compute.js';

const Period = { from: DateOnly, to: DateOnly, approvedOnly: { type: 'boolean', default: false } } as const;

const Query = schema({
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: Period,
} as const);

const TeamQuery = schema({
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'userId'],
  properties: { ...Period, userId: Uuid },
} as const);

async function overtime(
  ctx: PluginContext,
  userId: string,
  q: { from: string; to: string; approvedOnly?: boolean },
) {
  if (q.to < q.from)
    refuse(422, 'PERIOD_REVERSED', 'Period ends before it starts', '/query/to', 'must not be before from');
  const s = settings(ctx);
  const rows = await ctx.db.query<WorkedHours>(
    `select work_date::text as date, trim_scale(hours)::text as hours from entries
      where user_id = $1 and work_date between $2 and $3 and status not in ('running', 'rejected')
        and ($4::boolean = false or status = 'approved')`,
    [userId, q.from, q.to, q.approvedOnly ?? false],
  );
  const policy = {
    dailyThreshold: s.dailyOvertimeHours,
    weeklyThreshold: s.weeklyOvertimeHours,
    weekStartsOn: s.weekStartsOn,
  };
  return { userId, from: q.from, to: q.to, policy, ...computeOvertime(rows, policy) };
}

export const overtimeRoutes: Record<string, PluginRoute> = {
  'GET /overtime': route({
    permission: 'time.entries.read-own',
    summary: "The caller's overtime over a period",
    query: Query,
    handler: (ctx, { query }) => overtime(ctx, me(ctx), query),
  }),
  'GET /team/overtime': route({
    permission: 'time.entries.read-all',
    summary: "A person's overtime over a period",
    query: TeamQuery,
    handler: (ctx, { query }) => overtime(ctx, query.userId, query),
  }),
};
