// Reports: valuation at a date, COGS per issue, steps.
export { reportRoutes } from './routes.js';
