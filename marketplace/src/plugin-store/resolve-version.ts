// Which version a spec means: an exact version is taken as pinned (even if deprecated, so an
// instance can fetch what another already runs); a range or dist-tag never lands on a deprecated one.
import semver from 'semver';
import { MarketplaceError } from '../errors.js';

export interface PackumentLike {
  name: string;
  'dist-tags'?: Record<string, string>;
  versions: Record<string, { deprecated?: unknown }>;
}

export function resolveVersion(packument: PackumentLike, spec: string): string {
  const label = `${packument.name}@${spec}`;
  const versions = packument.versions ?? {};
  const exact = semver.valid(spec);
  if (exact) {
    if (!versions[exact]) throw new MarketplaceError('version_not_found', `${label}: no such version`, 404);
    return exact;
  }
  const tagged = packument['dist-tags']?.[spec];
  if (tagged) {
    if (versions[tagged]?.deprecated) {
      throw new MarketplaceError(
        'version_deprecated',
        `${label}: the tag points at ${tagged}, which is deprecated`,
        409,
      );
    }
    return tagged;
  }
  if (semver.validRange(spec) === null)
    throw new MarketplaceError('spec_invalid', `spec: ${spec} is not a version, range or tag`);
  const candidates = Object.keys(versions).filter((v) => !versions[v]?.deprecated);
  const chosen = semver.maxSatisfying(candidates, spec);
  if (!chosen)
    throw new MarketplaceError(
      'version_not_found',
      `${label}: no version that is not deprecated satisfies the range`,
      404,
    );
  return chosen;
}
