// Per-tenant plugin lifecycle steps (see lifecycle.ts).
export { PluginLifecycle } from './lifecycle.js';
export type { Action, LifecycleDeps, StepContext } from './types.js';
