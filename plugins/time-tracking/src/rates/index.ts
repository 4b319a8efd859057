export * from './resolve.js';
export { rateRoutes } from './routes.js';
export { loadRules, roleOf } from './store.js';
