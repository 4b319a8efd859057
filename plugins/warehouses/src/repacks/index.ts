export { repackRoutes } from './routes.js';
