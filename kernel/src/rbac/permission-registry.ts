// The permissions that exist: the kernel's own and, later, those each plugin declares. Roles may
// only grant registered permissions (or wildcards over registered areas), so a typo is an error.
export const PERMISSION_PATTERN = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;
const GRANT_PATTERN =
  /^(\*|[a-z][a-z0-9-]*\.\*|[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.\*|[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*)$/;

export interface PermissionInfo {
  name: string;
  description: string;
  owner: string;
}

export class PermissionRegistry {
  private readonly permissions = new Map<string, PermissionInfo>();

  register(owner: string, entries: Record<string, string>): void {
    for (const [name, description] of Object.entries(entries)) {
      if (!PERMISSION_PATTERN.test(name))
        throw new Error(`permission ${JSON.stringify(name)} is not <area>.<resource>.<action>`);
      const existing = this.permissions.get(name);
      if (existing && existing.owner !== owner) {
        throw new Error(`permission ${name} is already registered by ${existing.owner}`);
      }
      this.permissions.set(name, { name, description, owner });
    }
  }

  has(name: string): boolean {
    return this.permissions.has(name);
  }

  list(): PermissionInfo[] {
    return [...this.permissions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Why a grant (exact permission or wildcard) is not acceptable, or null. */
  grantProblem(grant: string): string | null {
    if (!GRANT_PATTERN.test(grant))
      return 'is not <area>.<resource>.<action>, <area>.<resource>.*, <area>.* or *';
    if (grant === '*') return null;
    if (grant.endsWith('.*')) {
      const prefix = grant.slice(0, -1);
      return [...this.permissions.keys()].some((p) => p.startsWith(prefix))
        ? null
        : 'matches no registered permission';
    }
    return this.permissions.has(grant) ? null : 'is not a registered permission';
  }
}
