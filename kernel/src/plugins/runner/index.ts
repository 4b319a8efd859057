// The plugin runner: the only way kernel code calls into plugin code (see types.ts).
export { PluginBreaker } from './breaker.js';
export { quarantinedProblem } from './errors.js';
export { PluginRunners } from './runners.js';
export { type Runtime, runtimeFor, runtimeOf } from './runtime.js';
export type {
  CallMeter,
  ContextDeps,
  Invocation,
  InvocationKind,
  PluginRunner,
  RouteInput,
} from './types.js';
export type { VersionUsage } from './usage.js';
