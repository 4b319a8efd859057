// Postgres's own parser (libpg-query: the server's grammar compiled to wasm). Loaded once at kernel
// start so that every later check is synchronous; a check before loading is a programming error.
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the parser; the kernel awaits this before it serves. Safe to call more than once. */
export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule().then(() => {
    ready = true;
  });
  return loaded;
}

function requireParser(): void {
  if (!ready) throw new Error('SQL parser not loaded: await loadSqlParser() at kernel start');
}

/** A parse node: `{ SelectStmt: {...} }` and friends, as libpg-query returns them. */
export type Node = Record<string, unknown>;

/** The statements of a SQL text, each as `{ Kind: body }`; throws the parser's syntax error. */
export function parseStatements(sql: string): Node[] {
  requireParser();
  const result = parseSync(sql) as { stmts?: Array<{ stmt: Node }> };
  return (result.stmts ?? []).map((s) => s.stmt);
}

/** The statements with the source text of each (libpg-query reports byte offsets into UTF-8). */
export function parseStatementsWithText(sql: string): Array<{ stmt: Node; text: string }> {
  requireParser();
  const bytes = Buffer.from(sql, 'utf8');
  const result = parseSync(sql) as {
    stmts?: Array<{ stmt: Node; stmt_location?: number; stmt_len?: number }>;
  };
  return (result.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    return { stmt: s.stmt, text: bytes.subarray(start, end).toString('utf8') };
  });
}

/** The PL/pgSQL tree of a CREATE FUNCTION ... LANGUAGE plpgsql statement. */
export function parsePlpgsql(createFunctionSql: string): Node[] {
  requireParser();
  const result = parsePlPgSQLSync(createFunctionSql) as unknown as { plpgsql_funcs?: Node[] } | Node[];
  return Array.isArray(result) ? result : (result.plpgsql_funcs ?? []);
}

/** The kind of a node (`SelectStmt`) and its body. */
export function kindOf(node: Node): [string, Node] {
  const [kind, body] = Object.entries(node)[0] ?? ['Unknown', {}];
  return [kind, (body ?? {}) as Node];
}

/** Names from a list of `{ String: { sval } }` nodes (function, operator and type names). */
export function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => ((n as { String?: { sval?: string } }).String?.sval ?? '').toLowerCase());
}

// Fields that hold a node without its { Kind: … } wrapper (Postgres's typed struct members).
const UNWRAPPED: Record<string, string> = {
  typeName: 'TypeName',
  returnType: 'TypeName',
  argType: 'TypeName',
  ofTypename: 'TypeName',
  relation: 'RangeVar',
  pktable: 'RangeVar',
  rel: 'RangeVar',
  view: 'RangeVar',
  sequence: 'RangeVar',
  typevar: 'RangeVar',
  intoClause: 'IntoClause',
};

/** Calls `visit(kind, body)` for every node under `root`, depth first. */
export function walk(root: unknown, visit: (kind: string, body: Node) => void): void {
  if (Array.isArray(root)) {
    for (const item of root) walk(item, visit);
    return;
  }
  if (!root || typeof root !== 'object') return;
  for (const [key, value] of Object.entries(root as Node)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      walk(value, visit);
      continue;
    }
    // Node wrappers are capitalised keys holding objects: { FuncCall: {...} }.
    const kind = /^[A-Z]/.test(key) ? key : UNWRAPPED[key];
    if (kind) visit(kind, value as Node);
    walk(value, visit);
  }
}
