// Allocations of people to projects over a date range, in hours per day or percent of capacity.
// Over-allocation is detected, not prevented (planners book ahead and resolve it): the answer
// names the days the new allocation leaves over-allocated.
import { type Json, type PluginRoute, route, schema } from '@erp/sdk';
import { overAllocated } from '../planning/index.js';
import { plan } from '../reports/index.js';
import { DateOnly, Hours, Percent, refuse, Uuid } from '../shared/index.js';

const NewAllocation = schema({
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'projectId', 'startsOn', 'endsOn'],
  properties: {
    userId: Uuid,
    projectId: Uuid,
    startsOn: DateOnly,
    endsOn: DateOnly,
    hoursPerDay: Hours,
    percent: Percent,
    note: { type: 'string', maxLength: 500 },
  },
} as const);

const ListQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { userId: Uuid, projectId: Uuid },
} as const);

const IdParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const);

const COLUMNS = `id, user_id as "userId", project_id as "projectId", starts_on::text as "startsOn", ends_on::text as "endsOn",
  trim_scale(hours_per_day)::text as "hoursPerDay", trim_scale(percent)::text as percent, note`;

export const allocationRoutes: Record<string, PluginRoute> = {
  'GET /allocations': route({
    permission: 'resources.people.read',
    query: ListQuery,
    handler: async (ctx, { query }) => ({
      allocations: await ctx.db.query(
        `select ${COLUMNS} from allocations where ($1::uuid is null or user_id = $1) and ($2::uuid is null or project_id = $2)
          order by starts_on, id`,
        [query.userId ?? null, query.projectId ?? null],
      ),
    }),
  }),
  'POST /allocations': route({
    permission: 'resources.allocations.write',
    summary: 'Allocate a person to a project (hoursPerDay or percent, not both)',
    body: NewAllocation,
    status: 201,
    async handler(ctx, { body }) {
      if ((body.hoursPerDay == null) === (body.percent == null))
        refuse(
          422,
          'HOURS_OR_PERCENT',
          'Hours or percent',
          '/body/hoursPerDay',
          'give hoursPerDay or percent, exactly one',
        );
      for (const [f, v] of [
        ['hoursPerDay', body.hoursPerDay],
        ['percent', body.percent],
      ] as const)
        if (v != null && Number(v) === 0)
          refuse(422, 'ZERO_ALLOCATION', 'Nothing allocated', `/body/${f}`, 'must be greater than 0');
      if (body.percent != null && Number(body.percent) > 200)
        refuse(422, 'PERCENT_TOO_HIGH', 'Percent too high', '/body/percent', 'must be at most 200');
      if (body.endsOn < body.startsOn)
        refuse(
          422,
          'PERIOD_REVERSED',
          'Ends before it starts',
          '/body/endsOn',
          'must not be before startsOn',
        );
      const person = await ctx.db.one('select 1 from people where user_id = $1', [body.userId]);
      if (!person)
        refuse(422, 'PERSON_UNKNOWN', 'Unknown person', '/body/userId', 'set the person’s calendar first');
      const project = await ctx.db.one<{ status: string; startsOn: string | null; endsOn: string | null }>(
        'select status, starts_on::text as "startsOn", ends_on::text as "endsOn" from projects where id = $1',
        [body.projectId],
      );
      if (!project) refuse(422, 'PROJECT_UNKNOWN', 'Unknown project', '/body/projectId', 'no such project');
      if (project.status === 'closed')
        refuse(422, 'PROJECT_CLOSED', 'Project closed', '/body/projectId', 'the project is closed');
      if (project.startsOn && body.startsOn < project.startsOn)
        refuse(
          422,
          'OUTSIDE_PROJECT_DATES',
          'Before the project',
          '/body/startsOn',
          `the project starts ${project.startsOn}`,
        );
      if (project.endsOn && body.endsOn > project.endsOn)
        refuse(
          422,
          'OUTSIDE_PROJECT_DATES',
          'After the project',
          '/body/endsOn',
          `the project ends ${project.endsOn}`,
        );
      const row = await ctx.db.one<{ id: string }>(
        `insert into allocations (user_id, project_id, starts_on, ends_on, hours_per_day, percent, note)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [
          body.userId,
          body.projectId,
          body.startsOn,
          body.endsOn,
          body.hoursPerDay ?? null,
          body.percent ?? null,
          body.note ?? null,
        ] as Json[],
      );
      await ctx.audit.record({
        action: 'resources.allocation.created',
        resource: 'allocation',
        resourceId: row!.id,
        data: body as Json,
      });
      const [p] = await plan(ctx, { from: body.startsOn, to: body.endsOn, userId: body.userId });
      const allocation = await ctx.db.one(`select ${COLUMNS} from allocations where id = $1`, [row!.id]);
      return {
        ...allocation,
        overAllocatedDays: overAllocated(p?.days ?? []).map((d) => ({ date: d.date, excess: d.excess })),
      };
    },
  }),
  'DELETE /allocations/:id': route({
    permission: 'resources.allocations.write',
    params: IdParams,
    status: 204,
    async handler(ctx, { params }) {
      const gone = await ctx.db.one(`delete from allocations where id = $1 returning ${COLUMNS}`, [
        params.id,
      ]);
      if (!gone) refuse(404, 'ALLOCATION_NOT_FOUND', 'Allocation not found', '/params/id', 'does not exist');
      await ctx.audit.record({
        action: 'resources.allocation.removed',
        resource: 'allocation',
        resourceId: params.id,
        data: gone as Json,
      });
    },
  }),
};
