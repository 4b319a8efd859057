export { qualityRoutes } from './routes.js';
