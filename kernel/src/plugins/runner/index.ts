// The plugin runner: the only way kernel code calls into plugin code (see types.ts).
export { PluginBreaker } from './breaker.js';
export { integrityProblem } from './context.js';
export { sandboxRequired } from './errors.js';
export { InProcessRunner } from './in-process.js';
export { PluginRunners } from './runners.js';
export type {
  CallMeter,
  ContextDeps,
  Invocation,
  InvocationKind,
  PluginRunner,
  RouteInput,
} from './types.js';
export { UsageMeter, type VersionUsage } from './usage.js';
