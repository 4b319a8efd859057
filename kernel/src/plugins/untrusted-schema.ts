// Schemas from a sandboxed plugin are compiled by the host (ajv validates its requests, before its
// code runs), so they must not be able to cost the host what the sandbox saves it: a huge or deeply
// nested schema is slow to compile. Their regular expressions run in linear time (re2js, see
// validation/ajv.ts), and fast-json-stringify is not used for them at all (it generates code from
// the schema, which its authors say must be trusted).
const MAX_DEPTH = 32;
const MAX_BYTES = 256 * 1024;

/** Why this schema may not come from untrusted code, or null. */
export function untrustedSchemaProblem(schema: unknown): string | null {
  if (schema === undefined) return null;
  let size: number;
  try {
    size = JSON.stringify(schema).length;
  } catch {
    return 'is not JSON';
  }
  if (size > MAX_BYTES) return `is larger than ${MAX_BYTES} bytes`;
  const walk = (node: unknown, depth: number): string | null => {
    if (depth > MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
    if (Array.isArray(node)) {
      for (const n of node) {
        const p = walk(n, depth + 1);
        if (p) return p;
      }
      return null;
    }
    if (!node || typeof node !== 'object') return null;
    for (const v of Object.values(node)) {
      const p = walk(v, depth + 1);
      if (p) return p;
    }
    return null;
  };
  return walk(schema, 0);
}
