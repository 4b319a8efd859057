// @erp-plugin/project-costing: the earned-value, rate and budget engines (pure libraries, exported
// for reuse and tests) and the plugin built on them: projects with budgets, change orders and
// milestones; actuals from approved time (time-tracking's events) at cost rates, expenses, and
// stock issued to projects (costing's events); earned value, S-curve and profitability over HTTP.
// See README.md for the conventions.
import { definePlugin } from '@erp/sdk';
import { activityRoutes } from './activities/index.js';
import { actualRoutes, expenseEvents, subscriptions } from './actuals/index.js';
import { budgetRoutes, milestoneRoutes } from './budgets/index.js';
import { events, projectRoutes } from './projects/index.js';
import { rateRoutes } from './rate-settings/index.js';
import { reportRoutes } from './reports/index.js';

export * from './engine/index.js';

export default definePlugin({
  events: { ...events, ...expenseEvents },
  routes: {
    ...projectRoutes,
    ...activityRoutes,
    ...budgetRoutes,
    ...milestoneRoutes,
    ...actualRoutes,
    ...rateRoutes,
    ...reportRoutes,
  },
  subscriptions,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      baseCurrency: {
        type: 'string',
        pattern: '^[A-Z]{3}$',
        default: 'EUR',
        description:
          "The tenant's base currency: exchange rates are quoted against it and stock costs (costing plugin) are in it",
      },
    },
  },
});
