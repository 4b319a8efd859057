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

  /** The registered permissions this set allows. */
  expand(registered: Iterable<string>): string[] {
    return [...registered].filter((p) => this.allows(p));
  }
}
