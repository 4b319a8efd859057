export { allocationRoutes } from './routes.js';
