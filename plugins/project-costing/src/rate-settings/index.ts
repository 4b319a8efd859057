// The routes that set cost rates, people's roles and exchange rates (and re-cost waiting time).
export { rateRoutes } from './routes.js';
