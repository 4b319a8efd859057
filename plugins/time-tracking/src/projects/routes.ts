// The projects and activities time can be booked to, for pickers (the timesheet's project list).
import { type PluginRoute, route } from '@erp/sdk';

export const projectRoutes: Record<string, PluginRoute> = {
  'GET /projects': route({
    permission: 'time.entries.read-own',
    summary: 'Projects open to time, with their current activities',
    handler: async (ctx) => ({
      projects: await ctx.db.query(
        `select p.id, p.code, p.name, p.client, p.status, p.starts_on::text as "startsOn", p.ends_on::text as "endsOn",
                coalesce((select json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name) order by a.code)
                            from activities a where a.project_id = p.id and a.current), '[]') as activities
           from projects p where p.status <> 'closed' order by p.code`,
      ),
    }),
  }),
};
