// The bodies of functions a plugin migration creates run later as the plugin's role, inside a
// request: they get the handler rules (DML only, allowlisted functions, no foreign schemas).
// SQL-language bodies are parsed as SQL; PL/pgSQL bodies through libpg-query's PL/pgSQL parser,
// whose every embedded expression and statement is parsed again as SQL. Dynamic SQL (EXECUTE,
// FOR … IN EXECUTE, RETURN QUERY EXECUTE, OPEN … FOR EXECUTE) is refused: it cannot be checked.
import { MIGRATION_KERNEL_FUNCTIONS } from './allowlist.js';
import { kindOf, type Node, parsePlpgsql, parseStatements, walk } from './parser.js';
import { DML, type TreeRules, treeProblem } from './tree-rules.js';

const PLPGSQL_REFUSED: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: 'dynamic EXECUTE',
  PLpgSQL_stmt_dynfors: 'FOR … IN EXECUTE',
  PLpgSQL_stmt_commit: 'COMMIT',
  PLpgSQL_stmt_rollback: 'ROLLBACK',
  PLpgSQL_stmt_call: 'CALL',
};

function bodyRules(ownSchema: string | null): TreeRules {
  // erp.tenant_table() is for migrations themselves; a function body gets what handlers get.
  const kernelFunctions = new Set([...MIGRATION_KERNEL_FUNCTIONS].filter((f) => f !== 'tenant_table'));
  return { statements: DML, kernelFunctions, ownSchema };
}

function sqlTextProblem(text: string, rules: TreeRules): string | null {
  let stmts: Node[];
  try {
    stmts = parseStatements(text);
  } catch (err) {
    return `a function body that does not parse (${(err as Error).message})`;
  }
  return treeProblem(stmts, rules);
}

/** One embedded PL/pgSQL expression or statement, as SQL. parseMode: 0 statement, 2 expression, 3–5 assignment. */
function plpgsqlExprProblem(query: string, parseMode: number, rules: TreeRules): string | null {
  if (parseMode === 0) return sqlTextProblem(query, rules);
  if (parseMode === 1) return null; // a type name
  let expr = query;
  if (parseMode >= 3) {
    const at = query.indexOf(':=');
    expr = at >= 0 ? query.slice(at + 2) : query.slice(query.indexOf('=') + 1);
  }
  return sqlTextProblem(`SELECT ${expr}`, rules);
}

function plpgsqlProblem(createStatement: string, rules: TreeRules): string | null {
  let funcs: Node[];
  try {
    funcs = parsePlpgsql(createStatement);
  } catch (err) {
    return `a PL/pgSQL body that does not parse (${(err as Error).message})`;
  }
  let problem: string | null = null;
  walk(funcs, (kind, body) => {
    if (problem) return;
    const refusedKind = PLPGSQL_REFUSED[kind];
    if (refusedKind) problem = `${refusedKind} in a PL/pgSQL body`;
    else if ((kind === 'PLpgSQL_stmt_open' || kind === 'PLpgSQL_stmt_return_query') && body.dynquery)
      problem = `dynamic EXECUTE in a PL/pgSQL body`;
    else if (kind === 'PLpgSQL_expr') {
      const { query, parseMode } = body as { query?: string; parseMode?: number };
      if (typeof query === 'string') problem = plpgsqlExprProblem(query, parseMode ?? 0, rules);
    }
  });
  return problem;
}

function option(stmt: Node, name: string): Node | undefined {
  const options = (stmt.options ?? []) as Node[];
  for (const o of options) {
    const [, def] = kindOf(o);
    if (def.defname === name) return def;
  }
  return undefined;
}

/** What is wrong with a CREATE FUNCTION/PROCEDURE statement of a migration, or null. */
export function functionProblem(stmt: Node, statementText: string, ownSchema: string | null): string | null {
  if ((option(stmt, 'security')?.arg as { Boolean?: { boolval?: boolean } })?.Boolean?.boolval) {
    return 'defines a SECURITY DEFINER function';
  }
  if (option(stmt, 'set'))
    return 'defines a function with a SET clause (it would change settings when called)';
  const language = String(
    (option(stmt, 'language')?.arg as { String?: { sval?: string } })?.String?.sval ?? 'sql',
  ).toLowerCase();
  const rules = bodyRules(ownSchema);
  let problem: string | null;
  if (language === 'sql') {
    if (stmt.sql_body) problem = treeProblem(stmt.sql_body, rules);
    else {
      const items = ((option(stmt, 'as')?.arg as { List?: { items?: Node[] } })?.List?.items ?? []) as Node[];
      const body = (items[0] as { String?: { sval?: string } } | undefined)?.String?.sval ?? '';
      problem = sqlTextProblem(body, rules);
    }
  } else if (language === 'plpgsql') {
    problem = plpgsqlProblem(statementText, rules);
  } else {
    return `defines a function in language ${language} (only sql and plpgsql)`;
  }
  return problem ? `defines a function whose body uses ${problem}` : null;
}
