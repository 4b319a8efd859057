export { cancelRoutes } from './routes.js';
