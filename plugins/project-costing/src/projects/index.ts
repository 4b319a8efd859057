// Projects: routes, the project.upserted event and the reads other concerns share.
export { events } from './events.js';
export { NewActivity, projectRoutes, readProject } from './routes.js';
export * from './store.js';
