// The plugin host: catalogue, loading, per-plugin database isolation, per-tenant lifecycle,
// dynamic dispatch, the runner every call into plugin code goes through, UI contributions and the
// per-tenant OpenAPI document.
export { PluginBindings } from './bindings.js';
export { type CatalogEntry, PluginCatalog } from './catalog.js';
export { PluginDatabase, pluginRole, pluginSchema } from './database.js';
export { PluginDirectory } from './directory.js';
export { mountPluginDispatch } from './dispatch.js';
export { type Installation, Installations, type Runtime } from './installations.js';
export { PluginLifecycle, type RegistryRelease, type StepContext } from './lifecycle/index.js';
export { LoadError, type LoadedPlugin, loadPlugin } from './loader.js';
export { tenantOpenApiRoute } from './openapi.js';
export { pluginAdminRoutes } from './routes.js';
export {
  type ContextDeps,
  type Invocation,
  PluginBreaker,
  PluginQuotas,
  type PluginRunner,
  PluginRunners,
} from './runner/index.js';
export { installation as installationSchema } from './schemas.js';
export { ensureSdkProvided } from './sdk-provider/index.js';
export {
  type Actor,
  type PluginAuditSink,
  type PluginEventSink,
  type PluginJobSink,
  pluginSinks,
} from './sinks.js';
export { guardPluginSql, loadSqlParser, migrationProblem } from './sql/index.js';
export { pluginIdParam, uiModuleUrl, uiRoutes, versionParam } from './ui.js';
export { type MissingVersionSource, PluginVersions } from './versions.js';
