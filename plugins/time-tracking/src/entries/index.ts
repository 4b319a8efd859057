export { events } from './events.js';
export { finalize, loadRules, roleOf } from './finalize.js';
export { checkShape, type EntryFilter, entryRoutes, insertEntry, ListQuery, listEntries } from './routes.js';
export * from './store.js';
