// Kernel migrations in order. Listed statically (not scanned from disk) so they work the same
// under tsx, a bundler or compiled output.
import type { Knex } from 'knex';
import * as m0001 from './0001_kernel_core.js';
import * as m0002 from './0002_audit.js';
import * as m0003 from './0003_events_jobs.js';
import * as m0004 from './0004_plugins.js';
import * as m0005 from './0005_plugin_roles.js';
import * as m0007 from './0007_credentials.js';
import * as m0008 from './0008_outbound_policies.js';
import * as m0009 from './0009_marketplace.js';
import * as m0010 from './0010_plugin_usage.js';
import * as m0012 from './0012_throttle_only.js';
import * as m0014 from './0014_unit_of_work_intact.js';
import * as m0015 from './0015_integrations.js';
import * as m0016 from './0016_owner_sweep.js';
import * as m0018 from './0018_oauth_refresh.js';
import * as m0019 from './0019_event_trace_context.js';

const migrations: Record<string, Knex.Migration> = {
  '0001_kernel_core': m0001,
  '0002_audit': m0002,
  '0004_plugins': m0004,
  '0003_events_jobs': m0003,
  '0005_plugin_roles': m0005,
  '0007_credentials': m0007,
  '0008_outbound_policies': m0008,
  '0009_marketplace': m0009,
  '0010_plugin_usage': m0010,
  '0012_throttle_only': m0012,
  '0014_unit_of_work_intact': m0014,
  '0015_integrations': m0015,
  '0016_owner_sweep': m0016,
  '0018_oauth_refresh': m0018,
  '0019_event_trace_context': m0019,
};

export const kernelMigrationSource: Knex.MigrationSource<string> = {
  // Applied in name order, whatever the order of the map.
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
export { APP_GROUP_ROLE, tenantTable, WORKER_ROLE } from './helpers.js';
