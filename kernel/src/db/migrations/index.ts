// Kernel migrations in order. Listed statically (not scanned from disk) so they work the same
// under tsx, a bundler or compiled output.
import type { Knex } from 'knex';
import * as m0001 from './0001_kernel_core.js';

const migrations: Record<string, Knex.Migration> = {
  '0001_kernel_core': m0001,
};

export const kernelMigrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
export { APP_GROUP_ROLE, tenantTable } from './helpers.js';
