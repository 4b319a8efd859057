export * from './compute.js';
export { overtimeRoutes } from './routes.js';
