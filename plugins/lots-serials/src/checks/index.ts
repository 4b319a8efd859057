export { checkRoutes } from './routes.js';
