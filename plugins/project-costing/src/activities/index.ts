// Activities of the baseline and their progress reports.
export { activityRoutes } from './routes.js';
