// Earned value, S-curve and profitability over HTTP.
export { reportRoutes } from './routes.js';
