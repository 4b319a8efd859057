// Per-tenant plugin lifecycle steps (see lifecycle.ts).
export { PluginLifecycle } from './lifecycle.js';
export type { Action, LifecycleDeps, RegistryRelease, StepContext } from './types.js';
