// Install: the named version (or the latest) for one tenant, with its migrations, its install
// hook and its bindings (so its subscriptions exist before it can publish), in one unit of work.
import { Problem } from '../../http/index.js';
import type { Installation } from '../installations.js';
import { checkDependencies, checkKernel } from '../resolution.js';
import { loadForStep, migrate, runHook } from './common.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, StepContext } from './types.js';

export async function install(
  d: LifecycleDeps,
  step: StepContext,
  name: string,
  version?: string,
): Promise<Installation> {
  const { sql } = step;
  // The named version, or the latest; one rescan of the plugin path for a package dropped in
  // since the watcher last looked (a lifecycle step, never a request path).
  const lookup = () => {
    const all = d.versions.catalog.versionsOf(name);
    return version ? all.find((e) => e.pkg.version === version) : all.at(-1);
  };
  let entry = lookup();
  if (!entry) {
    d.versions.refresh();
    entry = lookup();
  }
  if (!entry) {
    throw version
      ? new Problem(404, 'ERP_PLUGIN_VERSION_UNKNOWN', 'Unknown plugin version', {
          detail: `${name}@${version} is not in the catalogue.`,
        })
      : new Problem(404, 'ERP_PLUGIN_UNKNOWN', 'Unknown plugin', {
          detail: `No plugin ${name} in the catalogue.`,
        });
  }
  const { pkg } = entry;
  d.runners.admit(pkg);
  if (await d.installations.get(sql, pkg.manifest.id, true)) {
    throw new Problem(409, 'ERP_PLUGIN_ALREADY_INSTALLED', 'Already installed', {
      detail: `${pkg.manifest.id} is already installed; upgrade it instead.`,
    });
  }
  checkKernel(pkg, d.kernelVersion);
  checkDependencies(pkg, await d.installations.list(sql));
  const plugin = await loadForStep(d, pkg.name, pkg.version);
  await migrate(d, plugin);
  await d.bindings.ensureForStep(plugin, sql);
  await sql.query(
    `insert into erp.plugin_installations (tenant_id, plugin_id, package, version) values ($1, $2, $3, $4)`,
    [sql.tenantId, plugin.id, plugin.name, plugin.version],
  );
  await runHook(d, step, plugin, { config: {} }, 'install', null);
  await recordStep(d, step, plugin.id, 'install', null, plugin.version);
  return (await d.installations.get(sql, plugin.id))!;
}
