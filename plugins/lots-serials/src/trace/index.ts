export { LotRecalled, recallRoutes } from './recalls.js';
export { traceRoutes } from './routes.js';
