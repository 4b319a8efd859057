export { expiryRoutes, itemExpiry } from './routes.js';
