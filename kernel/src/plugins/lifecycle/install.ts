// Install: the named version (or the latest) for one tenant, with its migrations, its install
// hook and its bindings (so its subscriptions exist before it can publish), in one unit of work.
// A version from the marketplace's store is installed only with its RegistryRelease (the consent
// the marketplace collected); the plugin path never installs one.
import type { Json } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import type { CatalogEntry } from '../catalog.js';
import type { Installation } from '../installations.js';
import { checkDependencies, checkKernel } from '../resolution.js';
import { loadForStep, migrate, registryOnly, runHook } from './common.js';
import { recordStep } from './record.js';
import type { LifecycleDeps, RegistryRelease, StepContext } from './types.js';

function lookup(d: LifecycleDeps, name: string, version?: string, release?: RegistryRelease) {
  const all = d.versions.catalog.versionsOf(name);
  if (release) return version ? d.versions.find(name, version, release.integrity) : undefined;
  const fromPath = all.filter((e) => !e.fromRegistry);
  return version ? all.find((e) => e.pkg.version === version) : fromPath.at(-1);
}

function unknown(name: string, version?: string): Problem {
  return version
    ? new Problem(404, 'ERP_PLUGIN_VERSION_UNKNOWN', 'Unknown plugin version', {
        detail: `${name}@${version} is not in the catalogue.`,
      })
    : new Problem(404, 'ERP_PLUGIN_UNKNOWN', 'Unknown plugin', {
        detail: `No plugin ${name} in the catalogue.`,
      });
}

export async function install(
  d: LifecycleDeps,
  step: StepContext,
  name: string,
  version?: string,
  release?: RegistryRelease,
): Promise<Installation> {
  const { sql } = step;
  // The named version, or the latest; one rescan of the plugin path for a package dropped in
  // since the watcher last looked (a lifecycle step, never a request path).
  let entry: CatalogEntry | undefined = lookup(d, name, version, release);
  if (!entry) {
    d.versions.refresh();
    entry = lookup(d, name, version, release);
  }
  if (!entry) throw unknown(name, version);
  const { pkg } = entry;
  if (entry.fromRegistry && !release) throw registryOnly(pkg.name, pkg.version);
  const runtime = release?.runtime ?? d.runners.runtimeOf(entry);
  if (await d.installations.get(sql, pkg.manifest.id, true)) {
    throw new Problem(409, 'ERP_PLUGIN_ALREADY_INSTALLED', 'Already installed', {
      detail: `${pkg.manifest.id} is already installed; upgrade it instead.`,
    });
  }
  checkKernel(pkg, d.kernelVersion);
  checkDependencies(pkg, await d.installations.list(sql));
  const plugin = await loadForStep(d, pkg.name, pkg.version, runtime, release?.integrity);
  await migrate(d, plugin);
  await d.bindings.ensureForStep(plugin, sql);
  await sql.query(
    `insert into erp.plugin_installations
       (tenant_id, plugin_id, package, version, source, runtime, integrity, keyid, consent_hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      sql.tenantId,
      plugin.id,
      plugin.name,
      plugin.version,
      release ? 'registry' : 'path',
      runtime,
      release?.integrity ?? null,
      release?.keyid ?? null,
      release?.consentHash ?? null,
    ],
  );
  await runHook(d, step, plugin, { config: {} }, 'install', null);
  await recordStep(d, step, plugin.id, 'install', null, plugin.version, releaseDetail(release, runtime));
  return (await d.installations.get(sql, plugin.id))!;
}

/** What the audit entry names about where the version came from. */
export function releaseDetail(release: RegistryRelease | undefined, runtime: string): Json {
  return release
    ? {
        source: 'registry',
        runtime,
        integrity: release.integrity,
        keyid: release.keyid,
        // Not "consentHash": the audit log redacts fields named like hashes.
        consent: release.consentHash,
      }
    : { source: 'path', runtime };
}
