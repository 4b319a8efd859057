export { categoryRoutes } from './routes.js';
export { trainClassifier } from './train.js';
