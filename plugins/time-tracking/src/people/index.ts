export { peopleRoutes } from './routes.js';
