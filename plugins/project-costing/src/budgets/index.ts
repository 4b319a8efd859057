// Budgets with change orders, and milestones.
export { budgetRoutes } from './routes.js';
