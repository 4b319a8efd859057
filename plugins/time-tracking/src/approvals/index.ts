export * from './workflow.js';
export { approvalRoutes } from './routes.js';
