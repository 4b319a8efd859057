// What every lifecycle step needs and receives.
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../../auth/index.js';
import type { Sql } from '../../tenancy/index.js';
import type { PluginBindings } from '../bindings.js';
import type { PluginDatabase } from '../database.js';
import type { Installations, Runtime } from '../installations.js';
import type { PluginRunners } from '../runner/index.js';
import type { PluginAuditSink, PluginEventSink } from '../sinks.js';
import type { PluginVersions } from '../versions.js';

export type Action = 'install' | 'upgrade' | 'rollback' | 'enable' | 'disable' | 'uninstall' | 'configure';

export interface LifecycleDeps {
  versions: PluginVersions;
  installations: Installations;
  database: PluginDatabase;
  runners: PluginRunners;
  bindings: PluginBindings;
  events: PluginEventSink;
  audit: PluginAuditSink;
  kernelVersion: string;
}

/**
 * A version installed from the marketplace: its store folder, where the tenant's policy lets it
 * run, and what the audit entry and installation name (integrity, signing key, consent).
 */
export interface RegistryRelease {
  runtime: Runtime;
  integrity: string;
  keyid: string | null;
  consentHash: string;
}

/** The unit of work and the caller of one step. */
export interface StepContext {
  sql: Sql;
  principal: Principal;
  log: FastifyBaseLogger;
  requestId?: string;
  ip?: string;
}
