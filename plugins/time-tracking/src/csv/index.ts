export { EXPORT_COLUMNS, fromCsv, toCsv } from './format.js';
export { csvRoutes } from './routes.js';
