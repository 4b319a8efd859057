// Which event types an endpoint wants. A pattern is an event type in which `*` stands for one or
// more characters (dots included), the convention of the manifest's capabilities: `warehouses.*`,
// `warehouses.stock.*`, `*`. The kernel's own events (kernel.*) are internals and never leave; the
// bulk protocol events of imports and exports (thousands of rows each) match only a pattern that
// names them exactly.
export const PATTERN = '^(\\*|[a-z][a-z0-9-]*(\\.([a-z][a-z0-9-]*|\\*))*(\\.\\*)?)$';

const compiled = new Map<string, RegExp>();

function regexFor(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+')}$`);
    compiled.set(pattern, re);
  }
  return re;
}

const BULK = /\.(import\.(batch|applied|rollback|rolled-back)|export\.(requested|page))$/;

export function wants(patterns: readonly string[], type: string): boolean {
  if (type.startsWith('kernel.')) return false;
  if (BULK.test(type)) return patterns.includes(type);
  return patterns.some((p) => regexFor(p).test(type));
}
