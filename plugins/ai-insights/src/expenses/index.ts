export { expenseRoutes } from './routes.js';
export { expenseSubscriptions } from './subscriptions.js';
