// The checks every piece of plugin SQL gets, on Postgres's parse tree: which statements may appear
// (also inside CTEs), which functions, operators, types and schemas it may name. Handlers and the
// bodies of functions a migration creates use the same rules; only the allowed statements and
// kernel functions differ.
import { ALLOWED_FUNCTIONS, FORBIDDEN_SCHEMAS, isRegType } from './allowlist.js';
import { kindOf, type Node, names, walk } from './parser.js';

export interface TreeRules {
  /** Statement kinds allowed anywhere in the tree (top level and inside WITH). */
  statements: ReadonlySet<string>;
  /** erp.<name> functions allowed. */
  kernelFunctions: ReadonlySet<string>;
  /** The plugin's own schema, which may be named; unknown (null) in a migration linted before install. */
  ownSchema: string | null;
  /**
   * Functions the plugin's own migrations create, callable unqualified. Safe because the search
   * path is the plugin's schema then pg_catalog, and installation refuses a plugin function whose
   * name also exists in pg_catalog (so overload resolution cannot fall through to a built-in).
   */
  ownFunctions?: ReadonlySet<string>;
}

/** Data-changing and query statements: the kinds a handler may send. */
export const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

const STATEMENT_NAMES: Record<string, string> = {
  VariableSetStmt: 'SET/RESET',
  VariableShowStmt: 'SHOW',
  TransactionStmt: 'transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT)',
  DoStmt: 'DO blocks',
  CopyStmt: 'COPY',
  PrepareStmt: 'PREPARE',
  ExecuteStmt: 'EXECUTE',
  DeallocateStmt: 'DEALLOCATE',
  NotifyStmt: 'NOTIFY',
  ListenStmt: 'LISTEN',
  UnlistenStmt: 'UNLISTEN',
  CallStmt: 'CALL',
  MergeStmt: 'MERGE',
  LockStmt: 'LOCK',
  DiscardStmt: 'DISCARD',
  LoadStmt: 'LOAD',
  ExplainStmt: 'EXPLAIN',
};

/** A readable name for a statement kind: `SelectStmt` → SELECT, `VariableSetStmt` → SET/RESET. */
export function statementName(kind: string): string {
  return (
    STATEMENT_NAMES[kind] ??
    kind
      .replace(/Stmt$/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toUpperCase()
  );
}

function schemaProblem(schema: string, rules: TreeRules, what: string): string | null {
  if (rules.ownSchema !== null && schema === rules.ownSchema) return null;
  if (FORBIDDEN_SCHEMAS.has(schema) || schema.startsWith('pg_') || schema.startsWith('p_')) {
    return `${what} in schema ${schema}`;
  }
  return rules.ownSchema === null ? null : `${what} in schema ${schema}`;
}

function functionProblem(parts: string[], rules: TreeRules): string | null {
  const name = parts[parts.length - 1]!;
  const display = parts.join('.');
  if (parts.length > 2) return `function ${display}`;
  if (parts.length === 2) {
    const schema = parts[0]!;
    if (schema === 'erp') return rules.kernelFunctions.has(name) ? null : `function ${display}`;
    if (schema === 'pg_catalog') return ALLOWED_FUNCTIONS.has(name) ? null : `function ${display}`;
    if (rules.ownSchema !== null && schema === rules.ownSchema) return null;
    return `function ${display}`;
  }
  return ALLOWED_FUNCTIONS.has(name) || rules.ownFunctions?.has(name) ? null : `function ${name}`;
}

/** The first thing in the tree these rules refuse, as a phrase ("function set_config"), or null. */
export function treeProblem(root: unknown, rules: TreeRules): string | null {
  let problem: string | null = null;
  const cteNames = new Set<string>();
  walk(root, (_kind, body) => {
    const ctename = (body as { ctename?: string }).ctename;
    if (typeof ctename === 'string') cteNames.add(ctename.toLowerCase());
  });
  walk(root, (kind, body) => {
    if (problem) return;
    if (kind.endsWith('Stmt') && !rules.statements.has(kind)) {
      problem = `${statementName(kind)} statements`;
      return;
    }
    switch (kind) {
      case 'SelectStmt':
        if (body.intoClause) problem = 'SELECT INTO (creates a table)';
        return;
      case 'FuncCall':
        problem = functionProblem(names(body.funcname), rules);
        return;
      case 'A_Expr': {
        // OPERATOR(schema.op): only built-in operators, never one from another schema.
        const parts = names(body.name);
        if (parts.length > 1 && parts[0] !== 'pg_catalog') problem = `operator ${parts.join('.')}`;
        return;
      }
      case 'TypeName': {
        const parts = names(body.names);
        const name = parts[parts.length - 1] ?? '';
        if (isRegType(name)) problem = `cast to ${name}`;
        else if (parts.length > 2) problem = `type ${parts.join('.')}`;
        else if (parts.length === 2 && parts[0] !== 'pg_catalog')
          problem = schemaProblem(parts[0]!, rules, `type ${parts.join('.')}`);
        return;
      }
      case 'RangeVar': {
        const relname = String(body.relname ?? '').toLowerCase();
        if (body.catalogname)
          problem = `table ${String(body.catalogname)}.${String(body.schemaname)}.${relname}`;
        else if (typeof body.schemaname === 'string')
          problem = schemaProblem(
            body.schemaname.toLowerCase(),
            rules,
            `table ${body.schemaname}.${relname}`,
          );
        // pg_catalog is on the search path: its tables and views are reachable unqualified.
        else if (relname.startsWith('pg_') && !cteNames.has(relname)) problem = `catalog table ${relname}`;
        return;
      }
    }
  });
  return problem;
}

/** The top-level statement kind of a parsed statement. */
export const statementKind = (stmt: Node) => kindOf(stmt)[0];
