// The resource calendar (capacity and bookings per person per day), over-allocations, and
// utilization with bench time, for a period.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { overAllocated } from '../planning/index.js';
import { Period } from '../shared/index.js';
import { plan } from './plan.js';

const Query = schema(Period);

export const reportRoutes: Record<string, PluginRoute> = {
  'GET /projects': route({
    permission: 'resources.people.read',
    summary: 'The projects people can be allocated to (from project-costing)',
    handler: async (ctx) => ({
      projects: await ctx.db.query(
        `select id, code, name, status, starts_on::text as "startsOn", ends_on::text as "endsOn" from projects order by code`,
      ),
    }),
  }),
  'GET /calendar': route({
    permission: 'resources.reports.read',
    summary: 'Capacity, allocation and over-allocation per person per day',
    query: Query,
    async handler(ctx, { query }) {
      const people = await plan(ctx, query);
      return { from: query.from, to: query.to, people: people.map(({ utilization: _u, ...p }) => p) };
    },
  }),
  'GET /over-allocations': route({
    permission: 'resources.reports.read',
    summary: 'Days on which a person is booked beyond capacity',
    query: Query,
    async handler(ctx, { query }) {
      const people = await plan(ctx, query);
      return {
        overAllocations: people.flatMap((p) =>
          overAllocated(p.days).map((d) => ({
            userId: p.userId,
            name: p.name,
            date: d.date,
            capacity: d.capacity,
            allocated: d.allocated,
            excess: d.excess,
            byProject: d.byProject,
          })),
        ),
      };
    },
  }),
  'GET /utilization': route({
    permission: 'resources.reports.read',
    summary: 'Approved time against capacity and target, and bench time, per person',
    query: Query,
    async handler(ctx, { query }) {
      const people = await plan(ctx, query);
      return {
        from: query.from,
        to: query.to,
        people: people.map((p) => ({
          userId: p.userId,
          name: p.name,
          targetPercent: p.targetPercent,
          ...p.utilization,
        })),
      };
    },
  }),
};
