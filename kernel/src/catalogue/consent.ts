// What a tenant admin consents to: the permissions the plugin defines (which roles may then be
// given) and the capabilities it asks for; on upgrade, what is new against the running version.
// The consent hash covers exactly what is granted and the exact release (package, version,
// integrity), so an install that answers another preview — another version, or other bytes under
// the same version — is refused.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Consent } from './schemas.js';

export type { Consent };

export interface Grantable {
  permissions?: Record<string, string>;
  capabilities?: string[];
}

export function consentFor(next: Grantable, current: Grantable | undefined): Consent {
  const permissions = Object.keys(next.permissions ?? {}).sort();
  const capabilities = [...new Set(next.capabilities ?? [])].sort();
  const hadPermissions = new Set(Object.keys(current?.permissions ?? {}));
  const hadCapabilities = new Set(current?.capabilities ?? []);
  return {
    permissions,
    capabilities,
    newPermissions: current ? permissions.filter((p) => !hadPermissions.has(p)) : permissions,
    newCapabilities: current ? capabilities.filter((c) => !hadCapabilities.has(c)) : capabilities,
    descriptions: { ...(next.permissions ?? {}) },
  };
}

export function consentHash(
  release: { package: string; version: string; integrity: string },
  consent: Consent,
): string {
  const text = canonicalize({
    package: release.package,
    version: release.version,
    integrity: release.integrity,
    permissions: consent.permissions,
    capabilities: consent.capabilities,
    newPermissions: consent.newPermissions,
    newCapabilities: consent.newCapabilities,
  });
  return `sha256-${createHash('sha256')
    .update(text ?? '', 'utf8')
    .digest('base64')}`;
}
