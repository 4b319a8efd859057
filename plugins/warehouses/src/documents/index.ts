export { readDocument } from './read.js';
export { documentRoutes } from './routes.js';
