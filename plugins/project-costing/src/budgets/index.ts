// Budgets with change orders, and milestones.
export { milestoneRoutes } from './milestones.js';
export { budgetRoutes } from './routes.js';
