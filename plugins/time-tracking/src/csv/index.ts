export { csvRoutes } from './routes.js';
export { EXPORT_COLUMNS, fromCsv, toCsv } from './format.js';
