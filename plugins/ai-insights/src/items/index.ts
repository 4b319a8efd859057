export { itemRoutes } from './routes.js';
export { itemSubscriptions } from './subscriptions.js';
