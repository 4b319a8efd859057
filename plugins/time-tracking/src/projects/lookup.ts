// What a route needs to know about the project and activity an entry books to, with the refusals
// for unknown, closed or out-of-range ones.
import type { PluginContext } from '@erp/sdk';
import { refuse } from '../shared/index.js';

export interface ProjectRow {
  id: string;
  code: string;
  client: string | null;
  status: string;
  currency: string;
  startsOn: string | null;
  endsOn: string | null;
}

export async function bookable(
  ctx: PluginContext,
  where: { projectId: string; activityId?: string | null; workDate: string },
  fields: { project: string; activity: string; workDate: string },
): Promise<ProjectRow> {
  const p = await ctx.db.one<ProjectRow>(
    `select id, code, client, status, currency, starts_on::text as "startsOn", ends_on::text as "endsOn"
       from projects where id = $1`,
    [where.projectId],
  );
  if (!p) refuse(422, 'PROJECT_UNKNOWN', 'Unknown project', fields.project, 'no such project');
  if (p.status === 'closed')
    refuse(422, 'PROJECT_CLOSED', 'Project closed', fields.project, 'the project is closed to new time');
  if ((p.startsOn && where.workDate < p.startsOn) || (p.endsOn && where.workDate > p.endsOn))
    refuse(
      422,
      'OUTSIDE_PROJECT_DATES',
      'Outside the project dates',
      fields.workDate,
      `must be within the project's dates (${p.startsOn ?? '…'} to ${p.endsOn ?? '…'})`,
    );
  if (where.activityId) {
    const a = await ctx.db.one<{ current: boolean }>(
      'select current from activities where id = $1 and project_id = $2',
      [where.activityId, where.projectId],
    );
    if (!a?.current)
      refuse(422, 'ACTIVITY_UNKNOWN', 'Unknown activity', fields.activity, 'no such activity in the project');
  }
  return p;
}
