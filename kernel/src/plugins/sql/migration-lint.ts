// Plugin migrations are additive: they create tables, columns, indexes, constraints, views,
// sequences, types, triggers and functions in the plugin's own schema, and may seed or backfill
// rows. Checked statement by statement on Postgres's parse tree; anything not listed is refused.
import { MIGRATION_KERNEL_FUNCTIONS } from './allowlist.js';
import { functionProblem } from './function-body.js';
import { kindOf, type Node, names, parseStatementsWithText } from './parser.js';
import { DML, statementName, treeProblem } from './tree-rules.js';

const ALLOWED = new Set([
  'CreateStmt',
  'IndexStmt',
  'AlterTableStmt',
  'CreateFunctionStmt',
  'CreateTrigStmt',
  'ViewStmt',
  'CreateSeqStmt',
  'CreateEnumStmt',
  'AlterEnumStmt',
  'CompositeTypeStmt',
  'CreateDomainStmt',
  'GrantStmt',
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
]);

const REFUSED_REASONS: Record<string, string> = {
  DropStmt: 'drops an object (migrations are additive)',
  RenameStmt: 'renames an object (migrations are additive)',
  TruncateStmt: 'deletes data (TRUNCATE)',
  DeleteStmt: 'deletes data (DELETE)',
  VariableSetStmt: 'changes a setting or the role (SET/RESET)',
  DefineStmt: 'defines an operator, aggregate or collation',
  CreateCastStmt: 'creates a cast',
  CreateExtensionStmt: 'creates an extension',
  CreatePLangStmt: 'creates a language',
  CreateEventTrigStmt: 'creates an event trigger',
  DoStmt: 'runs a DO block (dynamic code cannot be checked)',
  GrantRoleStmt: 'grants a role',
  CreatePolicyStmt: "creates a policy (use select erp.tenant_table('<table>'))",
  AlterPolicyStmt: 'changes a policy',
  AlterOwnerStmt: 'changes an owner',
};

// ALTER TABLE sub-commands that only add or relax.
const ALTER_ALLOWED = new Set([
  'AT_AddColumn',
  'AT_AddConstraint',
  'AT_ColumnDefault',
  'AT_DropNotNull',
  'AT_ValidateConstraint',
  'AT_EnableRowSecurity',
  'AT_ForceRowSecurity',
  'AT_AddIndex',
]);
const ALTER_REASONS: Record<string, string> = {
  AT_AlterColumnType: 'changes a column type (migrations are additive)',
  AT_DropColumn: 'drops a column (migrations are additive)',
  AT_DropConstraint: 'drops a constraint (migrations are additive)',
  AT_DisableRowSecurity: 'disables row-level security',
  AT_NoForceRowSecurity: 'stops forcing row-level security',
  AT_ChangeOwner: 'changes an owner',
};

/** Roles a migration may grant to or revoke from: plugin roles only (never PUBLIC or the kernel's). */
function granteeProblem(stmt: Node, ownRole: string | null): string | null {
  for (const g of (stmt.grantees ?? []) as Node[]) {
    const [, spec] = kindOf(g);
    const name = String(spec.rolename ?? '').toLowerCase();
    if (spec.roletype === 'ROLESPEC_PUBLIC') return 'grants to or revokes from PUBLIC';
    if (spec.roletype !== 'ROLESPEC_CSTRING') return 'grants to or revokes from a role by keyword';
    if (ownRole !== null ? name !== ownRole : !name.startsWith('erp_p_'))
      return `grants to or revokes from ${name} (only the plugin's own role)`;
  }
  return null;
}

function addColumnProblem(cmd: Node): string | null {
  const [, col] = kindOf((cmd.def ?? {}) as Node);
  const kinds = ((col.constraints ?? []) as Node[]).map((c) => String(kindOf(c)[1].contype));
  const notNull = kinds.includes('CONSTR_NOTNULL') || kinds.includes('CONSTR_PRIMARY');
  const filled = kinds.some((k) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(k));
  return notNull && !filled
    ? `adds NOT NULL column ${String(col.colname)} without a default (older versions could not insert)`
    : null;
}

function statementProblem(stmt: Node, text: string, pluginId: string | null): string | null {
  const [kind, body] = kindOf(stmt);
  if (!ALLOWED.has(kind)) return REFUSED_REASONS[kind] ?? `uses ${statementName(kind)} statements`;
  const sqlName = pluginId?.replace(/-/g, '_');
  const ownSchema = sqlName ? `p_${sqlName}` : null;
  if (kind === 'AlterTableStmt') {
    for (const c of (body.cmds ?? []) as Node[]) {
      const [, cmd] = kindOf(c);
      const subtype = String(cmd.subtype);
      if (!ALTER_ALLOWED.has(subtype))
        return ALTER_REASONS[subtype] ?? `uses ALTER TABLE ${subtype.replace(/^AT_/, '')}`;
      if (subtype === 'AT_AddColumn') {
        const problem = addColumnProblem(cmd);
        if (problem) return problem;
      }
    }
  }
  if (kind === 'GrantStmt') {
    const problem = granteeProblem(body, sqlName ? `erp_p_${sqlName}` : null);
    if (problem) return problem;
  }
  if (kind === 'CreateFunctionStmt') {
    const problem = functionProblem(body, text, ownSchema);
    if (problem) return problem;
  }
  const problem = treeProblem(stmt, {
    statements: new Set([...DML, kind]),
    kernelFunctions: MIGRATION_KERNEL_FUNCTIONS,
    ownSchema,
  });
  return problem ? `uses ${problem}` : null;
}

/**
 * What is wrong with a plugin migration, as a phrase completing "migration <name> …", or null.
 * With the plugin's id, names must be in its own schema and grants go only to its own role.
 */
export function migrationProblem(sql: string, pluginId?: string): string | null {
  let stmts: Array<{ stmt: Node; text: string }>;
  try {
    stmts = parseStatementsWithText(sql);
  } catch (err) {
    return `does not parse (${(err as Error).message})`;
  }
  for (const { stmt, text } of stmts) {
    const problem = statementProblem(stmt, text, pluginId ?? null);
    if (problem) return problem;
  }
  return null;
}

const functionNamesCache = new WeakMap<readonly { sql: string }[], ReadonlySet<string>>();

/** The names of the functions a plugin's migrations create (unqualified or in its own schema). */
export function pluginFunctionNames(migrations: readonly { sql: string }[]): ReadonlySet<string> {
  let found = functionNamesCache.get(migrations);
  if (found) return found;
  const out = new Set<string>();
  for (const m of migrations) {
    let stmts: Array<{ stmt: Node }>;
    try {
      stmts = parseStatementsWithText(m.sql);
    } catch {
      continue; // such a migration was refused at load
    }
    for (const { stmt } of stmts) {
      const [kind, body] = kindOf(stmt);
      if (kind !== 'CreateFunctionStmt') continue;
      const parts = names(body.funcname);
      out.add(parts[parts.length - 1]!);
    }
  }
  found = out;
  functionNamesCache.set(migrations, found);
  return found;
}
