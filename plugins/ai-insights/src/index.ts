// @erp-plugin/ai-insights: the insights engine (a pure library, exported for reuse and tests) and
// the plugin built on it. The plugin keeps its own per-tenant copy of the warehouses ledger from
// its events, trains one forecasting model per item and warehouse on it (versioned, with metrics
// and drift), and offers forecasts, reorder suggestions, ABC, aging and dead stock over HTTP.
// See README.md.
import { definePlugin } from '@erp/sdk';
import { categoryRoutes } from './categories/index.js';
import { expenseRoutes, expenseSubscriptions } from './expenses/index.js';
import { forecastRoutes } from './forecasts/index.js';
import { subscriptions } from './history/index.js';
import { itemRoutes, itemSubscriptions } from './items/index.js';
import { jobs, modelRoutes } from './models/index.js';
import { qualityRoutes } from './quality/index.js';
import { events, reorderRoutes } from './reorder/index.js';
import { configSchema } from './shared/index.js';
import { stockRoutes } from './stock/index.js';

export * from './engine/index.js';

export default definePlugin({
  events,
  routes: {
    ...forecastRoutes,
    ...modelRoutes,
    ...reorderRoutes,
    ...stockRoutes,
    ...qualityRoutes,
    ...categoryRoutes,
    ...expenseRoutes,
    ...itemRoutes,
  },
  subscriptions: { ...subscriptions, ...expenseSubscriptions, ...itemSubscriptions },
  jobs,
  configSchema,
});
