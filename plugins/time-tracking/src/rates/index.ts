export * from './resolve.js';
export { rateRoutes } from './routes.js';
