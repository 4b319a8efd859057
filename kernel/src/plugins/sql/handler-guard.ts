// What a plugin handler may send: exactly one SELECT, INSERT, UPDATE or DELETE (VALUES is a
// SELECT; MERGE is refused: first-party plugins upsert with INSERT … ON CONFLICT, and one fewer
// statement kind is one fewer path to review), with data-modifying CTEs checked by the same rules,
// calling only allowlisted functions, naming no schema but its own (erp.current_tenant() aside).
// Decided on Postgres's own parse tree, so quoting tricks (E'\'' neighbours, dollar quotes,
// U&"\0073et_config") cannot hide anything: the parser resolves them exactly as the server will.
import { LRUCache } from 'lru-cache';
import { Problem } from '../../http/index.js';
import { ALLOWED_KERNEL_FUNCTIONS } from './allowlist.js';
import { parseStatements } from './parser.js';
import { DML, statementKind, statementName, treeProblem } from './tree-rules.js';

/** The plugin's schema as the database names it (ids use dashes, SQL names underscores). */
const ownSchema = (pluginId: string) => `p_${pluginId.replace(/-/g, '_')}`;

// A plugin's code sending SQL the kernel refuses is a defect of that plugin, not of the caller's
// request: 500, like any other plugin failure, and the unit of work is rolled back.
function refused(pluginId: string, why: string): Problem {
  return new Problem(500, 'ERP_PLUGIN_SQL_REFUSED', 'Plugin SQL refused', {
    detail: `Plugin ${pluginId} sent SQL the kernel does not allow: ${why}.`,
  });
}

// Parsing costs about 0.3 ms for a short statement (wasm, JSON out), more than the request
// it guards; plugin SQL is almost always a fixed text with $n parameters, so accepted texts are
// remembered. The verdict is a pure function of (plugin, text, the plugin's own functions): one
// cache per function set (one per loaded plugin version), keyed by plugin and text.
const NO_FUNCTIONS: ReadonlySet<string> = new Set();
const MAX_CACHED_TEXT = 16 * 1024;
const accepted = new WeakMap<ReadonlySet<string>, LRUCache<string, true>>();

/**
 * Throws ERP_PLUGIN_SQL_REFUSED unless `sql` is one statement plugin handlers may run.
 * `ownFunctions`: the functions the plugin's migrations create (see pluginFunctionNames).
 */
export function guardPluginSql(
  pluginId: string,
  sql: string,
  ownFunctions: ReadonlySet<string> = NO_FUNCTIONS,
): void {
  let cache = accepted.get(ownFunctions);
  if (!cache) {
    cache = new LRUCache<string, true>({ max: 2000 });
    accepted.set(ownFunctions, cache);
  }
  const key = `${pluginId}\u0000${sql}`;
  if (cache.get(key)) return;
  check(pluginId, sql, ownFunctions);
  if (sql.length <= MAX_CACHED_TEXT) cache.set(key, true);
}

function check(pluginId: string, sql: string, ownFunctions: ReadonlySet<string>): void {
  if (!sql.trim()) throw refused(pluginId, 'an empty statement');
  let stmts: ReturnType<typeof parseStatements>;
  try {
    stmts = parseStatements(sql);
  } catch (err) {
    if (err instanceof Error && /parser not loaded/.test(err.message)) throw err;
    throw refused(pluginId, `a syntax error (${(err as Error).message})`);
  }
  if (stmts.length === 0) throw refused(pluginId, 'an empty statement');
  if (stmts.length > 1) throw refused(pluginId, `${stmts.length} statements (one per call)`);
  const kind = statementKind(stmts[0]!);
  if (!DML.has(kind)) throw refused(pluginId, `${statementName(kind)} statements`);
  const problem = treeProblem(stmts, {
    statements: DML,
    kernelFunctions: ALLOWED_KERNEL_FUNCTIONS,
    ownSchema: ownSchema(pluginId),
    ownFunctions,
  });
  if (problem) throw refused(pluginId, problem);
}

interface PgError {
  code?: string;
  message?: string;
}

/**
 * A Postgres error from plugin SQL as the problem to answer. "permission denied" (42501) means the
 * plugin reached for something its role has no grant on (another plugin's schema, a kernel table
 * or function): a plugin defect, named as such. Row-level security refusals (also 42501) stay the
 * tenant problem the error handler makes of them.
 */
export function pluginSqlError(pluginId: string, err: unknown): unknown {
  const e = err as PgError;
  if (e?.code === '42501' && e.message?.startsWith('permission denied')) {
    return new Problem(403, 'ERP_PLUGIN_SQL_FORBIDDEN', 'Plugin SQL forbidden by the database', {
      detail: `Plugin ${pluginId} was refused by PostgreSQL: ${e.message}.`,
    });
  }
  return err;
}
