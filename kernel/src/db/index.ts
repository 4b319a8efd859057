export { type Database, openDatabase } from './database.js';
export { ensureLoginRole } from './login-role.js';
export { ensureRoles, migrateDatabase } from './migrate.js';
export { APP_GROUP_ROLE } from './migrations/index.js';
export { redactUrl } from './urls.js';
