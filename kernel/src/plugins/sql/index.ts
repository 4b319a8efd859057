// Plugin SQL, checked on Postgres's own parse tree: what handlers may send (guardPluginSql), what
// migrations may do (migrationProblem), and how database refusals of plugin SQL are reported.
export { ALLOWED_FUNCTIONS, ALLOWED_KERNEL_FUNCTIONS } from './allowlist.js';
export { guardPluginSql, pluginSqlError } from './handler-guard.js';
export { migrationProblem, pluginFunctionNames } from './migration-lint.js';
export { loadSqlParser } from './parser.js';
