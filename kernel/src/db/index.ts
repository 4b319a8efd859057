export { type Database, openDatabase } from './database.js';
export { ensureRoles, migrateDatabase } from './migrate.js';
export { APP_GROUP_ROLE } from './migrations/index.js';
export { redactUrl } from './urls.js';
