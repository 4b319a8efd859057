export { timerRoutes } from './routes.js';
