export { PROJECT_UPSERTED, ProjectUpserted, type ProjectUpsertedPayload } from './events.js';
export { bookable, type ProjectRow } from './lookup.js';
export { projectSubscriptions } from './projection.js';
export { projectRoutes } from './routes.js';
