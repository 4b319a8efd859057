export { approvalRoutes } from './routes.js';
