// @erp-plugin/time-tracking: time entries per person, project and activity (a running timer or
// by hand), a per-tenant approval workflow, bill rates with effective dates, overtime, time off
// and CSV import/export. The rate and overtime rules are pure libraries exported from here and
// documented in README.md; the routes are thin layers over them. Projects come from
// project-costing's project.upserted events; approved time is announced as time.entry.approved.
import { definePlugin } from '@erp/sdk';
import { approvalRoutes } from './approvals/index.js';
import { csvRoutes } from './csv/index.js';
import { entryRoutes, events } from './entries/index.js';
import { importEvents, importSubscriptions } from './imports/index.js';
import { overtimeRoutes } from './overtime/index.js';
import { peopleRoutes } from './people/index.js';
import { projectRoutes, projectSubscriptions } from './projects/index.js';
import { rateRoutes } from './rates/index.js';
import { configSchema } from './shared/index.js';
import { timeOffRoutes } from './time-off/index.js';
import { timerRoutes } from './timer/index.js';

export { EXPORT_COLUMNS, fromCsv, toCsv } from './csv/format.js';
export * from './overtime/compute.js';
export * from './rates/resolve.js';
export {
  type EntryStatus,
  editable,
  onApprove,
  onSubmit,
  type Pending,
  STEP_PERMISSION,
  STEPS,
  type Step,
} from './workflow/index.js';

export default definePlugin({
  events: { ...events, ...importEvents },
  routes: {
    ...projectRoutes,
    ...entryRoutes,
    ...timerRoutes,
    ...approvalRoutes,
    ...rateRoutes,
    ...peopleRoutes,
    ...overtimeRoutes,
    ...timeOffRoutes,
    ...csvRoutes,
  },
  subscriptions: { ...projectSubscriptions, ...importSubscriptions },
  configSchema,
});
