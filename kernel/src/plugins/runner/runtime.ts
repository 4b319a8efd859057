// Where a version's code runs. For an installation from the marketplace the tenant's trust policy
// and the publisher's signature decided it at install (stored on the installation); a folder on
// the operator's plugin path is the operator's decision, so there the manifest's `trust` stands in
// for it. A registry version's own `trust` claim is never read.
import type { CatalogEntry } from '../catalog.js';
import type { Runtime } from '../installations.js';

export type { Runtime };

/** The runtime a catalogued version is loaded in when nobody asked for one. */
export function runtimeOf(entry: Pick<CatalogEntry, 'pkg' | 'runtime' | 'fromRegistry'>): Runtime {
  if (entry.runtime) return entry.runtime;
  if (entry.fromRegistry) return 'sandbox';
  return entry.pkg.manifest.trust === 'first-party' ? 'in-process' : 'sandbox';
}

/**
 * The runtime an installation asks for: a registry installation's is fixed at install; a path
 * installation follows its folder's manifest as it is now (undefined: see runtimeOf).
 */
export function runtimeFor(i: { source: 'path' | 'registry'; runtime: Runtime }): Runtime | undefined {
  return i.source === 'registry' ? i.runtime : undefined;
}
