export { checkReorderPoints } from './check.js';
export { reorderRoutes } from './routes.js';
