// The plugin runner: the only way kernel code calls into plugin code (see types.ts).
export { PluginBreaker } from './breaker.js';
export { quarantinedProblem } from './errors.js';
export { METRICS, PluginQuotas, type Quotas, type UsageTotals } from './quota.js';
export { PluginRunners } from './runners.js';
export { installationRuntime, type Runtime } from './runtime.js';
export type {
  CallMeter,
  ContextDeps,
  Invocation,
  InvocationKind,
  PluginRunner,
  RouteInput,
} from './types.js';
export type { VersionUsage } from './usage.js';
