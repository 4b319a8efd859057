// Reading a project and its activities (with their progress) and announcing it. Dates are read as
// text so they stay calendar dates whatever the runtime's time zone.
import { notFound } from '@erp/sdk';
import type { Activity } from '../engine/index.js';
import { type Ctx, refuseAt } from '../shared/index.js';

export interface ProjectRow {
  id: string;
  code: string;
  name: string;
  client: string | null;
  status: 'planned' | 'active' | 'closed';
  billing: 'fixed-price' | 'time-and-materials';
  currency: string;
  contractValue: string;
  startsOn: string;
  endsOn: string;
}

export interface ActivityRow extends Activity {
  code: string;
  name: string;
  projectId: string;
}

const PROJECT = `id, code, name, client, status, billing, currency, contract_value::text as "contractValue",
  starts_on::text as "startsOn", ends_on::text as "endsOn"`;

export async function findProject(ctx: Ctx, id: string, lock = false): Promise<ProjectRow | null> {
  return ctx.db.one<ProjectRow & Record<string, never>>(
    `select ${PROJECT} from projects where id = $1${lock ? ' for update' : ''}`,
    [id],
  ) as Promise<ProjectRow | null>;
}

/** The project, or 404 naming the parameter. */
export async function requireProject(ctx: Ctx, id: string, field = '/params/id', lock = false) {
  const p = await findProject(ctx, id, lock);
  if (!p) throw notFound('PROJECT_NOT_FOUND', 'Project', field);
  return p;
}

/** The project, which must not be closed (409 naming the field that chose it). */
export async function requireOpenProject(ctx: Ctx, id: string, field = '/params/id') {
  const p = await requireProject(ctx, id, field, true);
  if (p.status === 'closed') refuseAt(409, 'PROJECT_CLOSED', field, `project ${p.code} is closed`);
  return p;
}

export async function listProjects(ctx: Ctx): Promise<ProjectRow[]> {
  return (await ctx.db.query(`select ${PROJECT} from projects order by code`)) as unknown as ProjectRow[];
}

export async function projectActivities(ctx: Ctx, projectId: string): Promise<ActivityRow[]> {
  const rows = (await ctx.db.query(
    `select a.id, a.project_id as "projectId", a.code, a.name, a.starts_on::text as "startsOn",
            a.ends_on::text as "endsOn", a.planned_cost::text as "plannedCost",
            coalesce((select json_agg(json_build_object('asOf', p.as_of::text, 'percent', p.percent::text) order by p.as_of)
                        from progress p where p.activity_id = a.id), '[]') as progress
       from activities a where a.project_id = $1 order by a.starts_on, a.code`,
    [projectId],
  )) as unknown as ActivityRow[];
  return rows;
}

/** Publishes project.upserted with the project as it now is (in the caller's unit of work). */
export async function announce(ctx: Ctx, projectId: string) {
  const p = await requireProject(ctx, projectId);
  const activities = await projectActivities(ctx, projectId);
  await ctx.events.publish('project.upserted', {
    projectId: p.id,
    code: p.code,
    name: p.name,
    client: p.client,
    status: p.status,
    currency: p.currency,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    activities: activities.map((a) => ({
      activityId: a.id,
      code: a.code,
      name: a.name,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
    })),
  });
}
