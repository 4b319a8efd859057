// Plugin SQL runs as the plugin's own role, which Postgres already keeps out of kernel tables and
// other plugins' schemas. This guard closes what a role cannot: statements that would change the
// session's identity or tenant (SET ROLE, RESET, set_config), end the unit of work (COMMIT…), or
// reach outside the database. One statement per call (sent with the extended protocol).
import { Problem } from '../http/index.js';

const LEADING =
  /^(set|reset|do|begin|start|commit|end|rollback|abort|savepoint|release|prepare|execute|deallocate|discard|listen|unlisten|notify|copy|lock|vacuum|analyze|cluster|reindex|checkpoint|load|call|create|alter|drop|grant|revoke|truncate|comment|security|refresh|import)\b/i;
const ANYWHERE =
  /\b(set_config|pg_notify|pg_sleep|pg_read_file|pg_read_binary_file|pg_ls_dir|lo_import|lo_export|dblink\w*|pg_terminate_backend|pg_cancel_backend|pg_advisory\w*|current_user_set|session_authorization)\b/i;

/** The SQL with comments and quoted literals blanked out, so keywords inside strings don't count. */
function skeleton(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "''");
}

export function guardPluginSql(pluginId: string, sql: string): void {
  const s = skeleton(sql).trim();
  const refuse = (why: string) =>
    new Problem(500, 'ERP_PLUGIN_SQL_REFUSED', 'Plugin SQL refused', {
      detail: `Plugin ${pluginId} sent SQL the kernel does not allow: ${why}.`,
    });
  if (!s) throw refuse('empty statement');
  if (/;\s*\S/.test(s)) throw refuse('more than one statement');
  const lead = LEADING.exec(s.replace(/^\(+\s*/, ''));
  if (lead) throw refuse(`${lead[1]!.toUpperCase()} statements`);
  const any = ANYWHERE.exec(s);
  if (any) throw refuse(`use of ${any[1]}`);
}

/** Checks a migration file: DDL allowed, but nothing that changes identity or destroys data. */
export function migrationProblem(sql: string): string | null {
  const s = skeleton(sql);
  const checks: Array<[RegExp, string]> = [
    [/\b(set|reset)\s+(role|session)\b/i, 'changes the role'],
    [/\bset_config\b/i, 'calls set_config'],
    [/\bsecurity\s+definer\b/i, 'defines a SECURITY DEFINER function'],
    [
      /\bdrop\s+(table|column|schema|view|materialized|type|function|index|sequence)\b/i,
      'drops an object (migrations are additive)',
    ],
    [/\brename\b/i, 'renames an object (migrations are additive)'],
    [/\btruncate\b|\bdelete\s+from\b/i, 'deletes data'],
    [/\balter\s+column\s+\S+\s+(set\s+data\s+)?type\b/i, 'changes a column type (migrations are additive)'],
    [
      /\badd\s+column\s+(?:if\s+not\s+exists\s+)?\S+\s+[^,;]*\bnot\s+null\b(?![^,;]*\bdefault\b)/i,
      'adds a NOT NULL column without a default (older versions could not insert)',
    ],
    [/\b(grant|revoke)\b[^;]*\b(erp_kernel_app|erp_app|public)\b/i, 'grants to the kernel or public'],
    [/\berp\.(users|roles|sessions|api_keys|tenants|audit\w*|outbox\w*|jobs\w*)\b/i, 'touches kernel tables'],
  ];
  for (const [re, why] of checks) if (re.test(s)) return why;
  return null;
}
