export { stockRoutes } from './routes.js';
