// Actual costs: approved time at cost rates, expenses, stock issued (from events and routes).
export { costUnratedTime } from './labour.js';
export { actualRoutes } from './routes.js';
export { subscriptions } from './subscriptions.js';
