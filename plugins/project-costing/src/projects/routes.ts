// Projects: create (with its first activities and original budget in one unit of work), list, read,
// and change (name, client, status, dates). A closed project accepts no change; its dates cannot
// shrink past an activity's.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { checkActivity, checkBudgetLines, checkCurrency, isDecimalString } from '../engine/index.js';
import {
  Amount,
  Billing,
  Category,
  Code,
  Currency,
  Day,
  engine,
  IdParams,
  Name,
  refuseAt,
  Status,
} from '../shared/index.js';
import { announce, listProjects, projectActivities, requireOpenProject, requireProject } from './store.js';

const STATUSES = ['planned', 'active', 'closed'] as const;

export const NewActivity = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'startsOn', 'endsOn', 'plannedCost'],
  properties: { code: Code, name: Name, startsOn: Day, endsOn: Day, plannedCost: Amount },
} as const;

const NewProject = schema({
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'billing', 'currency', 'startsOn', 'endsOn'],
  properties: {
    code: Code,
    name: Name,
    client: { type: ['string', 'null'], maxLength: 200 },
    status: Status,
    billing: Billing,
    currency: Currency,
    contractValue: {
      ...Amount,
      description: 'Fixed price, or the not-to-exceed amount of time and materials',
    },
    startsOn: Day,
    endsOn: Day,
    activities: { type: 'array', maxItems: 500, items: NewActivity },
    budget: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['category', 'period', 'amount'],
        properties: { category: Category, period: { type: 'string' }, amount: Amount },
      },
    },
  },
} as const);

const ProjectChange = schema({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: Name,
    client: { type: ['string', 'null'], maxLength: 200 },
    status: Status,
    startsOn: Day,
    endsOn: Day,
  },
} as const);

export async function readProject(ctx: Parameters<typeof requireProject>[0], id: string) {
  const project = await requireProject(ctx, id);
  return { ...project, activities: await projectActivities(ctx, id) };
}

export const projectRoutes: Record<string, PluginRoute> = {
  'POST /projects': route({
    permission: 'projects.projects.write',
    summary: 'Create a project with its activities (the baseline) and original budget',
    body: NewProject,
    status: 201,
    async handler(ctx, { body }) {
      engine('/body/', () => checkCurrency(body.currency));
      if (body.endsOn < body.startsOn)
        refuseAt(422, 'PROJECT_DATES_REVERSED', '/body/endsOn', 'must not be before startsOn');
      const span = { startsOn: body.startsOn, endsOn: body.endsOn };
      for (const [i, a] of (body.activities ?? []).entries())
        engine(`/body/activities/${i}/`, () => checkActivity({ ...a, id: '', progress: [] }, '', span));
      engine('/body/', () => checkBudgetLines(body.budget ?? [], 'budget'));
      if (await ctx.db.one('select 1 from projects where code = $1', [body.code]))
        refuseAt(409, 'PROJECT_CODE_TAKEN', '/body/code', `a project ${body.code} exists`);
      const [p] = await ctx.db.query<{ id: string }>(
        `insert into projects (code, name, client, status, billing, currency, contract_value, starts_on, ends_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
        [
          body.code,
          body.name,
          body.client ?? null,
          body.status ?? 'planned',
          body.billing,
          body.currency,
          isDecimalString(body.contractValue) ? body.contractValue : '0',
          body.startsOn,
          body.endsOn,
        ],
      );
      const id = p!.id;
      const codes = new Set<string>();
      for (const [i, a] of (body.activities ?? []).entries()) {
        if (codes.has(a.code))
          refuseAt(409, 'PROJECT_ACTIVITY_CODE_TAKEN', `/body/activities/${i}/code`, 'given twice');
        codes.add(a.code);
        await ctx.db.query(
          'insert into activities (project_id, code, name, starts_on, ends_on, planned_cost) values ($1, $2, $3, $4, $5, $6)',
          [id, a.code, a.name, a.startsOn, a.endsOn, a.plannedCost],
        );
      }
      for (const l of body.budget ?? [])
        await ctx.db.query(
          'insert into budget_lines (project_id, category, period, amount) values ($1, $2, $3, $4)',
          [id, l.category, l.period, l.amount],
        );
      await ctx.audit.record({
        action: 'project.created',
        resource: 'project',
        resourceId: id,
        data: { code: body.code },
      });
      await announce(ctx, id);
      return readProject(ctx, id);
    },
  }),
  'GET /projects': route({
    permission: 'projects.projects.read',
    summary: 'The tenant’s projects',
    async handler(ctx) {
      return { projects: await listProjects(ctx) };
    },
  }),
  'GET /projects/:id': route({
    permission: 'projects.projects.read',
    summary: 'A project with its activities and their progress reports',
    params: IdParams,
    async handler(ctx, { params }) {
      return readProject(ctx, params.id);
    },
  }),
  'PATCH /projects/:id': route({
    permission: 'projects.projects.write',
    summary: 'Change a project’s name, client, status or dates (not once it is closed)',
    params: IdParams,
    body: ProjectChange,
    async handler(ctx, { params, body }) {
      const p = await requireOpenProject(ctx, params.id);
      // Status only moves forward (planned → active → closed): going back to planned would unlock
      // the baseline that change orders guard.
      if (body.status && STATUSES.indexOf(body.status) < STATUSES.indexOf(p.status))
        refuseAt(
          409,
          'PROJECT_STATUS_BACKWARDS',
          '/body/status',
          `cannot go from ${p.status} back to ${body.status}`,
        );
      const startsOn = body.startsOn ?? p.startsOn;
      const endsOn = body.endsOn ?? p.endsOn;
      if (endsOn < startsOn)
        refuseAt(
          422,
          'PROJECT_DATES_REVERSED',
          body.endsOn ? '/body/endsOn' : '/body/startsOn',
          'the project would end before it starts',
        );
      const outside = await ctx.db.one<{ code: string; starts: boolean }>(
        `select code, starts_on < $2 as starts from activities
          where project_id = $1 and (starts_on < $2 or ends_on > $3) limit 1`,
        [p.id, startsOn, endsOn],
      );
      if (outside)
        refuseAt(
          422,
          'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
          outside.starts ? '/body/startsOn' : '/body/endsOn',
          `activity ${outside.code} would fall outside the project`,
        );
      await ctx.db.query(
        `update projects set name = $2, client = $3, status = $4, starts_on = $5, ends_on = $6, updated_at = now() where id = $1`,
        [
          p.id,
          body.name ?? p.name,
          body.client === undefined ? p.client : body.client,
          body.status ?? p.status,
          startsOn,
          endsOn,
        ],
      );
      await ctx.audit.record({
        action: 'project.changed',
        resource: 'project',
        resourceId: p.id,
        data: body as never,
      });
      await announce(ctx, p.id);
      return readProject(ctx, p.id);
    },
  }),
};
