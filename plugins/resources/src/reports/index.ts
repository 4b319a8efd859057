export { plan, type PersonPlan } from './plan.js';
export { reportRoutes } from './routes.js';
