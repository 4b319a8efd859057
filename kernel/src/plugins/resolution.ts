// Version rules checked before any lifecycle step: the kernel range a plugin declares, the ranges
// it needs of other plugins (against what the tenant has, enabled), and the ranges that installed
// dependents need of it. A conflict names both sides.
import type { PluginPackage } from '@erp/sdk';
import semver from 'semver';
import { Problem } from '../http/index.js';
import type { Installation } from './installations.js';

const conflict = (code: string, title: string, detail: string) => new Problem(409, code, title, { detail });

export function checkKernel(pkg: PluginPackage, kernelVersion: string): void {
  if (!semver.satisfies(kernelVersion, pkg.kernelRange, { includePrerelease: true })) {
    throw conflict(
      'ERP_PLUGIN_KERNEL_MISMATCH',
      'Plugin does not support this kernel',
      `${pkg.name}@${pkg.version} needs kernel ${pkg.kernelRange}; this kernel is ${kernelVersion}.`,
    );
  }
}

/** The plugin's own dependencies must be installed, enabled and within range. */
export function checkDependencies(pkg: PluginPackage, installed: Installation[]): void {
  for (const [dep, range] of Object.entries(pkg.manifest.dependencies ?? {})) {
    const have = installed.find((i) => i.package === dep);
    if (!have) {
      throw conflict(
        'ERP_PLUGIN_DEPENDENCY_MISSING',
        'Required plugin not installed',
        `${pkg.name}@${pkg.version} needs ${dep} ${range}, which this tenant has not installed.`,
      );
    }
    if (!semver.satisfies(have.version, range, { includePrerelease: true })) {
      throw conflict(
        'ERP_PLUGIN_DEPENDENCY_CONFLICT',
        'Required plugin version conflict',
        `${pkg.name}@${pkg.version} needs ${dep} ${range}, but this tenant runs ${dep}@${have.version}.`,
      );
    }
    if (have.status !== 'enabled') {
      throw conflict(
        'ERP_PLUGIN_DEPENDENCY_DISABLED',
        'Required plugin disabled',
        `${pkg.name} needs ${dep}, which is disabled.`,
      );
    }
  }
}

/** Installed plugins that depend on `name`: they must still be satisfied by `nextVersion` (or by nothing). */
export function checkDependents(
  name: string,
  nextVersion: string | null,
  installed: Installation[],
  manifests: (i: Installation) => PluginPackage | undefined,
): void {
  for (const other of installed) {
    if (other.package === name) continue;
    const range = manifests(other)?.manifest.dependencies?.[name];
    if (!range) continue;
    if (nextVersion === null) {
      throw conflict(
        'ERP_PLUGIN_HAS_DEPENDENTS',
        'Other plugins depend on this one',
        `${other.package}@${other.version} needs ${name} ${range}; remove or disable it first.`,
      );
    }
    if (!semver.satisfies(nextVersion, range, { includePrerelease: true })) {
      throw conflict(
        'ERP_PLUGIN_DEPENDENT_CONFLICT',
        'Installed plugin needs another version',
        `${other.package}@${other.version} needs ${name} ${range}, which ${name}@${nextVersion} does not satisfy.`,
      );
    }
  }
}
