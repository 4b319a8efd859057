// Exports: filtered records of a target plugin as CSV, NDJSON or XLSX, assembled page by page and
// downloaded chunk by chunk; schedules.
export { exportEvents } from './events.js';
export { isExportPage, takePage, XLSX_JOB } from './pages.js';
export { exportRoutes } from './routes.js';
export { runDueSchedules } from './schedules.js';
export { writeXlsx } from './xlsx-job.js';
