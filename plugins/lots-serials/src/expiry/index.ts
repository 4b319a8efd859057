export { expiryRoutes } from './routes.js';
