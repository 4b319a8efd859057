// erp backup / erp restore: the database with PostgreSQL's own tools, the files beside it, a
// manifest of digests, and a restore that ends by verifying every tenant's audit chain.
export { backup } from './backup.js';
export { BackupError } from './errors.js';
export { restore } from './restore.js';
