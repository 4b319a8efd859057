export { reconciliationRoutes } from './routes.js';
