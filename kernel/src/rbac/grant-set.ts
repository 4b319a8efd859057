// A compiled set of grants (exact permissions and wildcards) answering "does it allow X?" in O(1).
export class GrantSet {
  private readonly exact = new Set<string>();
  private readonly prefixes = new Set<string>();
  private all = false;

  constructor(grants: Iterable<string>) {
    for (const g of grants) {
      if (g === '*') this.all = true;
      else if (g.endsWith('.*')) this.prefixes.add(g.slice(0, -1));
      else this.exact.add(g);
    }
  }

  allows(permission: string): boolean {
    if (this.all || this.exact.has(permission)) return true;
    if (this.prefixes.size === 0) return false;
    const [area, resource] = permission.split('.');
    return this.prefixes.has(`${area}.`) || this.prefixes.has(`${area}.${resource}.`);
  }

  /**
   * Whether this set holds the grant itself: a wildcard is covered only by an equal or wider
   * wildcard (it also grants permissions that plugins register later), an exact permission by
   * anything that allows it.
   */
  covers(grant: string): boolean {
    if (this.all) return true;
    if (grant === '*') return false;
    if (!grant.endsWith('.*')) return this.allows(grant);
    const prefix = grant.slice(0, -1);
    return this.prefixes.has(prefix) || this.prefixes.has(`${prefix.split('.')[0]}.`);
  }

  /** The registered permissions this set allows. */
  expand(registered: Iterable<string>): string[] {
    return [...registered].filter((p) => this.allows(p));
  }
}

/**
 * The grants both lists hold (e.g. an API key's scopes and its creator's rights). Grants form a
 * tree (`*` ⊃ `area.*` ⊃ `area.resource.*` ⊃ `area.resource.action`), so two grants meet only
 * when one contains the other, and the meet is the narrower one.
 */
export function intersectGrants(a: readonly string[], b: readonly string[]): string[] {
  const setA = new GrantSet(a);
  const setB = new GrantSet(b);
  const out = new Set<string>();
  for (const g of a) if (setB.covers(g)) out.add(g);
  for (const g of b) if (setA.covers(g)) out.add(g);
  return simplifyGrants([...out]);
}

/** The grants without those another grant of the list already covers (`*`, `iam.users.read` → `*`). */
export function simplifyGrants(grants: readonly string[]): string[] {
  const unique = [...new Set(grants)];
  return unique.filter((g) => !unique.some((other) => other !== g && new GrantSet([other]).covers(g)));
}
