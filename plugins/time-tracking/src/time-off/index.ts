export { timeOffRoutes } from './routes.js';
