export { type PersonPlan, plan } from './plan.js';
export { reportRoutes } from './routes.js';
