export { JobQueue, type JobRow } from './queue.js';
export { jobRoutes } from './routes.js';
export type { EnqueueOptions, JobContext, JobRunner, JobSettings, JobSpec } from './types.js';
