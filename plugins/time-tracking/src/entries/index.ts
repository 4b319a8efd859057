export { events } from './events.js';
export { finalize } from './finalize.js';
export { checkShape, type EntryFilter, entryRoutes, insertEntry, ListQuery, listEntries } from './routes.js';
export * from './store.js';
