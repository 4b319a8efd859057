export { lotRoutes, readLot } from './routes.js';
