// Actual costs: approved time at cost rates, expenses, stock issued (from events and routes).
export { expenseEvents } from './expense-event.js';
export { bookWaiting } from './labour.js';
export { actualRoutes } from './routes.js';
export { subscriptions } from './subscriptions.js';
