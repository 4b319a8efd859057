export { events } from './events.js';
export { reorderRoutes } from './routes.js';
