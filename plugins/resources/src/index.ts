// @erp-plugin/resources: capacity per person per day (working-hours calendar minus time off),
// skills, allocations to projects, over-allocation, utilization of approved time against targets,
// and bench time. The arithmetic is a pure library exported from here (see README.md); routes are
// thin layers over it. Projects, time off and approved time arrive as events from project-costing
// and time-tracking.
import { definePlugin } from '@erp/sdk';
import { allocationRoutes } from './allocations/index.js';
import { peopleRoutes } from './people/index.js';
import { subscriptions } from './projection/index.js';
import { reportRoutes } from './reports/index.js';

export * from './planning/index.js';

export default definePlugin({
  routes: { ...peopleRoutes, ...allocationRoutes, ...reportRoutes },
  subscriptions,
});
