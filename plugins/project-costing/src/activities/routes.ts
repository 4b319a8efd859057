// Activities of a project's baseline and their progress. An activity must lie within the project's
// dates. Its planned cost may be set directly only while the project is planned; once it is active,
// the baseline moves only through change orders (so its history is kept). Progress is a percent
// complete (0–100) as of a date; a second report for the same date replaces the first.
import { notFound, type PluginRoute, route, schema } from '@erp/sdk';
import { checkActivity, checkPercent } from '../engine/index.js';
import { announce, NewActivity, readProject, requireOpenProject } from '../projects/index.js';
import { Amount, type Ctx, Day, engine, IdParams, Name, Percent, refuseAt } from '../shared/index.js';

const ActivityChange = schema({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: Name, startsOn: Day, endsOn: Day, plannedCost: Amount },
} as const);

const ProgressReport = schema({
  type: 'object',
  additionalProperties: false,
  required: ['asOf', 'percentComplete'],
  properties: { asOf: Day, percentComplete: Percent },
} as const);

interface ActivityRecord {
  id: string;
  projectId: string;
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  plannedCost: string;
}

async function requireActivity(ctx: Ctx, id: string): Promise<ActivityRecord> {
  const a = await ctx.db.one<ActivityRecord & Record<string, never>>(
    `select id, project_id as "projectId", code, name, starts_on::text as "startsOn", ends_on::text as "endsOn",
            planned_cost::text as "plannedCost" from activities where id = $1`,
    [id],
  );
  if (!a) throw notFound('PROJECT_ACTIVITY_NOT_FOUND', 'Activity');
  return a;
}

export const activityRoutes: Record<string, PluginRoute> = {
  'POST /projects/:id/activities': route({
    permission: 'projects.projects.write',
    summary: 'Add an activity to the baseline (within the project’s dates)',
    params: IdParams,
    body: schema(NewActivity),
    status: 201,
    async handler(ctx, { params, body }) {
      const p = await requireOpenProject(ctx, params.id);
      engine('/body/', () => checkActivity({ ...body, id: '', progress: [] }, '', p));
      if (p.status !== 'planned')
        refuseAt(
          409,
          'PROJECT_BASELINE_LOCKED',
          '/body/plannedCost',
          'the project is active: add work through a change order',
        );
      if (await ctx.db.one('select 1 from activities where project_id = $1 and code = $2', [p.id, body.code]))
        refuseAt(409, 'PROJECT_ACTIVITY_CODE_TAKEN', '/body/code', `activity ${body.code} exists`);
      const [a] = await ctx.db.query<{ id: string }>(
        'insert into activities (project_id, code, name, starts_on, ends_on, planned_cost) values ($1, $2, $3, $4, $5, $6) returning id',
        [p.id, body.code, body.name, body.startsOn, body.endsOn, body.plannedCost],
      );
      await ctx.audit.record({
        action: 'activity.created',
        resource: 'activity',
        resourceId: a!.id,
        data: body,
      });
      await announce(ctx, p.id);
      return requireActivity(ctx, a!.id);
    },
  }),
  'PATCH /activities/:id': route({
    permission: 'projects.projects.write',
    summary: 'Change an activity’s name or dates (and its planned cost while the project is planned)',
    params: IdParams,
    body: ActivityChange,
    async handler(ctx, { params, body }) {
      const a = await requireActivity(ctx, params.id);
      const p = await requireOpenProject(ctx, a.projectId, '/params/id');
      const next = { ...a, ...body, progress: [] };
      engine('/body/', () => checkActivity(next, '', p));
      if (body.plannedCost !== undefined && p.status !== 'planned')
        refuseAt(
          409,
          'PROJECT_BASELINE_LOCKED',
          '/body/plannedCost',
          'the project is active: change the planned cost through a change order',
        );
      await ctx.db.query(
        'update activities set name = $2, starts_on = $3, ends_on = $4, planned_cost = $5 where id = $1',
        [a.id, next.name, next.startsOn, next.endsOn, next.plannedCost],
      );
      await ctx.audit.record({
        action: 'activity.changed',
        resource: 'activity',
        resourceId: a.id,
        data: body,
      });
      await announce(ctx, p.id);
      return requireActivity(ctx, a.id);
    },
  }),
  'POST /activities/:id/progress': route({
    permission: 'projects.projects.write',
    summary: 'Report an activity’s percent complete (0–100) as of a date',
    params: IdParams,
    body: ProgressReport,
    status: 201,
    async handler(ctx, { params, body }) {
      engine('/body/', () => checkPercent(body.percentComplete, 'percentComplete'));
      const a = await requireActivity(ctx, params.id);
      const p = await requireOpenProject(ctx, a.projectId, '/params/id');
      if (body.asOf < p.startsOn)
        refuseAt(
          422,
          'PROJECT_DATE_OUTSIDE_PROJECT',
          '/body/asOf',
          `must not be before the project starts (${p.startsOn})`,
        );
      await ctx.db.query(
        `insert into progress (activity_id, as_of, percent, reported_by) values ($1, $2, $3, $4)
         on conflict (tenant_id, activity_id, as_of) do update set percent = excluded.percent,
           reported_by = excluded.reported_by, reported_at = now()`,
        [a.id, body.asOf, body.percentComplete, ctx.user.id],
      );
      await ctx.audit.record({
        action: 'activity.progress',
        resource: 'activity',
        resourceId: a.id,
        data: body,
      });
      return (await readProject(ctx, p.id)).activities.find((x) => x.id === a.id);
    },
  }),
};
