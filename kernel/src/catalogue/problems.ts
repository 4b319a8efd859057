// The marketplace's refusals, each with a stable code. A MarketplaceError from @erp/marketplace
// (download, integrity, resolution) is mapped here too, so clients see one vocabulary.
import { Problem } from '../http/index.js';

export const marketProblem = (status: number, code: string, title: string, detail: string) =>
  new Problem(status, code, title, { detail });

export const registryUnavailable = () =>
  marketProblem(
    503,
    'ERP_MARKETPLACE_UNAVAILABLE',
    'No marketplace registry',
    'This kernel has no registry (start it with `erp start` or set REGISTRY_URL).',
  );

export const registryUnreachable = (registry: string, why: string) =>
  marketProblem(
    503,
    'ERP_MARKETPLACE_REGISTRY_UNREACHABLE',
    'Registry unreachable',
    `The registry at ${registry} cannot be reached: ${why}`,
  );

export const packageUnknown = (name: string) =>
  marketProblem(404, 'ERP_MARKETPLACE_PACKAGE_UNKNOWN', 'Unknown package', `${name} is not in the registry.`);

/** Codes of @erp/marketplace's MarketplaceError mapped to the kernel's. */
const FROM_MARKETPLACE: Record<string, [number, string, string]> = {
  integrity_mismatch: [422, 'ERP_MARKETPLACE_INTEGRITY_MISMATCH', 'Tarball does not match its integrity'],
  package_mismatch: [422, 'ERP_MARKETPLACE_INTEGRITY_MISMATCH', 'Tarball is another package'],
  registry_unreachable: [503, 'ERP_MARKETPLACE_REGISTRY_UNREACHABLE', 'Registry unreachable'],
  package_not_found: [404, 'ERP_MARKETPLACE_PACKAGE_UNKNOWN', 'Unknown package'],
  version_not_found: [404, 'ERP_MARKETPLACE_VERSION_UNKNOWN', 'Unknown version'],
  version_deprecated: [409, 'ERP_MARKETPLACE_VERSION_DEPRECATED', 'Version deprecated'],
  dependencies_failed: [502, 'ERP_MARKETPLACE_DEPENDENCIES_FAILED', 'Dependencies could not be installed'],
};

/** A Problem for anything the install path throws (Problems pass through). */
export function asProblem(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'MarketplaceError' && e.code) {
    const [status, code, title] = FROM_MARKETPLACE[e.code] ?? [
      502,
      'ERP_MARKETPLACE_FETCH_FAILED',
      'Download failed',
    ];
    return new Problem(status, code, title, { detail: e.message ?? title });
  }
  return undefined;
}
