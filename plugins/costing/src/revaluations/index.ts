// Revaluations and standard price changes.
export { revaluationRoutes } from './routes.js';
