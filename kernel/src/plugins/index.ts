// The plugin host: catalogue, loading, per-plugin database isolation, per-tenant lifecycle,
// dynamic dispatch, UI contributions and the per-tenant OpenAPI document.
export { PluginBindings, pluginSinks } from './bindings.js';
export { PluginBreaker } from './breaker.js';
export { type CatalogEntry, PluginCatalog } from './catalog.js';
export type { ContextDeps } from './context.js';
export { PluginDatabase, pluginRole, pluginSchema } from './database.js';
export { mountPluginDispatch } from './dispatch.js';
export { type Installation, Installations } from './installations.js';
export { PluginLifecycle } from './lifecycle.js';
export { LoadError, type LoadedPlugin, loadPlugin } from './loader.js';
export { tenantOpenApiRoute } from './openapi.js';
export { pluginAdminRoutes } from './routes.js';
export type { Actor, PluginAuditSink, PluginEventSink, PluginJobSink } from './sinks.js';
export { guardPluginSql, loadSqlParser, migrationProblem } from './sql/index.js';
export { uiRoutes } from './ui.js';
export { PluginVersions } from './versions.js';
