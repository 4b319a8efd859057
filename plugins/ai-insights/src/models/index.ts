export { jobs } from './job.js';
export { modelRoutes } from './routes.js';
export { latestModel, type ModelRow, predictionsOf } from './store.js';
export { train } from './train.js';
