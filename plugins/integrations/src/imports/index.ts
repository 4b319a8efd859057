// Imports: CSV and XLSX files into the targets plugins register, validated, previewed, committed
// through the target plugin, rolled back while nothing depends on them.
export { isImportAnswer, takeAnswer } from './answers.js';
export { COMMIT_JOB, commitImport } from './commit-job.js';
export { importEvents } from './events.js';
export { WATCH_JOB, watchImports } from './missing.js';
export { PARSE_JOB, parseWindow } from './parse-job.js';
export { importRoutes } from './routes.js';
export { findTarget, targetsOf } from './targets.js';
