// Milestones and milestone billing: a milestone (within the project's dates) carries an amount,
// billed once on a date; billed milestones are the revenue of time-and-materials projects and the
// "billed" figure of every project's profitability.
import { notFound, type PluginRoute, route, schema } from '@erp/sdk';
import { requireOpenProject, requireProject } from '../projects/index.js';
import { Amount, Day, IdParams, Name, refuseAt } from '../shared/index.js';

const NewMilestone = schema({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'dueOn', 'amount'],
  properties: { name: Name, dueOn: Day, amount: Amount },
} as const);

const Bill = schema({
  type: 'object',
  additionalProperties: false,
  required: ['billedOn'],
  properties: { billedOn: Day },
} as const);

export const milestoneRoutes: Record<string, PluginRoute> = {
  'GET /projects/:id/milestones': route({
    permission: 'projects.projects.read',
    summary: 'A project’s milestones and what was billed',
    params: IdParams,
    async handler(ctx, { params }) {
      await requireProject(ctx, params.id);
      return {
        milestones: await ctx.db.query(
          `select id, name, due_on::text as "dueOn", amount::text as amount, billed_on::text as "billedOn"
             from milestones where project_id = $1 order by due_on, name`,
          [params.id],
        ),
      };
    },
  }),
  'POST /projects/:id/milestones': route({
    permission: 'projects.projects.write',
    summary: 'Add a billing milestone',
    params: IdParams,
    body: NewMilestone,
    status: 201,
    async handler(ctx, { params, body }) {
      const p = await requireOpenProject(ctx, params.id);
      if (body.dueOn < p.startsOn || body.dueOn > p.endsOn)
        refuseAt(
          422,
          'PROJECT_DATE_OUTSIDE_PROJECT',
          '/body/dueOn',
          `must be within the project (${p.startsOn} – ${p.endsOn})`,
        );
      const [m] = await ctx.db.query(
        `insert into milestones (project_id, name, due_on, amount) values ($1, $2, $3, $4)
         returning id, name, due_on::text as "dueOn", amount::text as amount, billed_on::text as "billedOn"`,
        [p.id, body.name, body.dueOn, body.amount],
      );
      await ctx.audit.record({
        action: 'milestone.created',
        resource: 'project',
        resourceId: p.id,
        data: body,
      });
      return m;
    },
  }),
  'POST /milestones/:id/bill': route({
    permission: 'projects.projects.write',
    summary: 'Bill a milestone (once)',
    params: IdParams,
    body: Bill,
    async handler(ctx, { params, body }) {
      const m = await ctx.db.one<{ projectId: string; billed: boolean }>(
        'select project_id as "projectId", billed_on is not null as billed from milestones where id = $1',
        [params.id],
      );
      if (!m) throw notFound('PROJECT_MILESTONE_NOT_FOUND', 'Milestone');
      await requireOpenProject(ctx, m.projectId, '/params/id');
      if (m.billed)
        refuseAt(409, 'PROJECT_MILESTONE_BILLED', '/params/id', 'the milestone is billed already');
      const [row] = await ctx.db.query(
        `update milestones set billed_on = $2 where id = $1
         returning id, name, due_on::text as "dueOn", amount::text as amount, billed_on::text as "billedOn"`,
        [params.id, body.billedOn],
      );
      await ctx.audit.record({
        action: 'milestone.billed',
        resource: 'project',
        resourceId: m.projectId,
        data: { milestoneId: params.id, ...body },
      });
      return row;
    },
  }),
};
