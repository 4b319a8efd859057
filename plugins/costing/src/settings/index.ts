// Item costing settings routes: read, and changed (a method change is a step of every valuation).
export { readItem } from './read.js';
export { settingsRoutes } from './routes.js';
