// Reads what the planning library needs for a period (people, their time off, allocations and
// approved time) and runs it per person. The database only supplies rows; the arithmetic is the
// library's.
import type { PluginContext } from '@erp/sdk';
import {
  type Allocation,
  capacity,
  type LoadDay,
  load,
  type TimeOffSpan,
  type Utilization,
  utilization,
  type WeekCalendar,
  type WorkedDay,
} from '../planning/index.js';
import { refuse } from '../shared/index.js';

export interface PersonPlan {
  userId: string;
  name: string | null;
  targetPercent: string;
  days: LoadDay[];
  utilization: Utilization;
}

const MAX_DAYS = 366;

export async function plan(
  ctx: PluginContext,
  q: { from: string; to: string; userId?: string },
): Promise<PersonPlan[]> {
  if (q.to < q.from)
    refuse(422, 'PERIOD_REVERSED', 'Period ends before it starts', '/query/to', 'must not be before from');
  if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 >= MAX_DAYS)
    refuse(422, 'PERIOD_TOO_LONG', 'Period too long', '/query/to', `at most ${MAX_DAYS} days`);
  const people = await ctx.db.query<{
    userId: string;
    name: string | null;
    calendar: string[];
    targetPercent: string;
  }>(
    `select user_id as "userId", name, array(select trim_scale(c)::text from unnest(calendar) c) as calendar,
            trim_scale(target_percent)::text as "targetPercent"
       from people where $1::uuid is null or user_id = $1 order by name nulls last, user_id`,
    [q.userId ?? null],
  );
  const period = [q.from, q.to, q.userId ?? null];
  const offs = await ctx.db.query<TimeOffSpan & { userId: string }>(
    `select user_id as "userId", starts_on::text as "startsOn", ends_on::text as "endsOn",
            trim_scale(hours_per_day)::text as "hoursPerDay"
       from time_off where not cancelled and ends_on >= $1 and starts_on <= $2 and ($3::uuid is null or user_id = $3)`,
    period,
  );
  const allocs = await ctx.db.query<Allocation & { userId: string }>(
    `select id, user_id as "userId", project_id as "projectId", starts_on::text as "startsOn", ends_on::text as "endsOn",
            trim_scale(hours_per_day)::text as "hoursPerDay", trim_scale(percent)::text as percent
       from allocations where ends_on >= $1 and starts_on <= $2 and ($3::uuid is null or user_id = $3)`,
    period,
  );
  const worked = await ctx.db.query<WorkedDay & { userId: string }>(
    `select user_id as "userId", work_date::text as date, trim_scale(hours)::text as hours, billable
       from worked where work_date between $1 and $2 and ($3::uuid is null or user_id = $3)`,
    period,
  );
  const of = <T extends { userId: string }>(rows: T[], userId: string) =>
    rows.filter((r) => r.userId === userId);
  return people.map((p) => {
    const days = load(
      of(allocs, p.userId),
      capacity(p.calendar as unknown as WeekCalendar, of(offs, p.userId), q.from, q.to),
    );
    return {
      userId: p.userId,
      name: p.name,
      targetPercent: p.targetPercent,
      days,
      utilization: utilization(days, of(worked, p.userId), p.targetPercent),
    };
  });
}
