export { forecastRoutes } from './routes.js';
