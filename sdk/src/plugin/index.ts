export type {
  InstalledPlugin,
  Json,
  PluginContext,
  PluginDb,
  PluginDirectory,
  PluginEvents,
  PluginHttp,
  PluginJobs,
  PluginLog,
} from './context.js';
export {
  type DefinedPlugin,
  definePlugin,
  type EventEnvelope,
  type Infer,
  isDefinedPlugin,
  type PluginDefinition,
  type PluginHooks,
  type PluginJob,
  type PluginRoute,
  type PluginSubscription,
  type RouteInput,
  route,
  schema,
} from './define.js';
export { notFound } from './not-found.js';
export { type PluginFieldError, PluginProblem } from './problem.js';
