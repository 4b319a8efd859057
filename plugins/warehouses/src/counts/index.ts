export { countRoutes } from './routes.js';
