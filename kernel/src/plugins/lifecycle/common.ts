// Helpers the steps share: loading a version for a step (through the runner its trust selects),
// applying its migrations, finding the tenant's installation, and running a lifecycle hook.
import type { PluginPackage } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import type { Sql } from '../../tenancy/index.js';
import type { Installation, Runtime } from '../installations.js';
import { LoadError, type LoadedPlugin } from '../loader.js';
import type { LifecycleDeps, StepContext } from './types.js';

/** Loads a catalogued version a step will run; refuses (422) what no runner here may run. */
export async function loadForStep(
  d: LifecycleDeps,
  name: string,
  version: string,
  runtime?: Runtime,
  integrity?: string | null,
): Promise<LoadedPlugin> {
  const entry = d.versions.find(name, version, integrity);
  if (!entry)
    throw new Problem(404, 'ERP_PLUGIN_VERSION_UNKNOWN', 'Unknown plugin version', {
      detail: `${name}@${version} is not in the catalogue.`,
    });
  const run = runtime ?? d.runners.runtimeOf(entry);
  const state = await d.versions.get(name, version, run, integrity);
  if (!state.ok)
    throw new Problem(422, 'ERP_PLUGIN_LOAD_FAILED', 'Plugin failed to load', { detail: state.error });
  return state.plugin;
}

export async function migrate(d: LifecycleDeps, plugin: LoadedPlugin): Promise<void> {
  try {
    await d.database.migrate(plugin);
  } catch (err) {
    if (err instanceof LoadError)
      throw new Problem(422, 'ERP_PLUGIN_MIGRATION_FAILED', 'Plugin migration failed', {
        detail: err.message,
      });
    throw err;
  }
}

export const packageOf =
  (d: LifecycleDeps) =>
  (i: Installation): PluginPackage | undefined =>
    d.versions.find(i.package, i.version, i.source === 'registry' ? i.integrity : null)?.pkg;

/** The tenant's installation of the plugin, locked for the step; 404 when there is none. */
export async function existing(d: LifecycleDeps, sql: Sql, id: string): Promise<Installation> {
  const row = await d.installations.get(sql, id, true);
  if (!row)
    throw new Problem(404, 'ERP_PLUGIN_NOT_INSTALLED', 'Plugin not installed', {
      detail: `This tenant has not installed ${id}.`,
    });
  return row;
}

/** Runs the version's install or upgrade hook, if it has one, in the step's unit of work. */
export async function runHook(
  d: LifecycleDeps,
  step: StepContext,
  plugin: LoadedPlugin,
  installation: Pick<Installation, 'config'>,
  entry: 'install' | 'upgrade',
  input: { from: string; to: string } | null,
): Promise<void> {
  await d.runners.invoke(plugin, {
    kind: 'hook',
    entry,
    input,
    sql: step.sql,
    principal: step.principal,
    installation,
    log: step.log,
    requestId: step.requestId,
    ip: step.ip,
  });
}

/** Versions from the marketplace's store move only with the tenant's consent (its install route). */
export function registryOnly(name: string, version: string): Problem {
  return new Problem(409, 'ERP_PLUGIN_CONSENT_REQUIRED', 'Install from the marketplace', {
    detail: `${name}@${version} comes from the marketplace: install or upgrade it through POST /api/v1/marketplace/install-preview and /installs, which ask for consent.`,
  });
}

export function pinnedProblem(id: string, version: string): Problem {
  return new Problem(409, 'ERP_PLUGIN_PINNED', 'Installation is pinned', {
    detail: `${id} is pinned at ${version}; unpin it before upgrading.`,
  });
}
