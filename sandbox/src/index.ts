// @erp/sandbox: third-party plugin code in isolated-vm behind host callbacks (see README.md).
export { BundleError, bundlePlugin } from './bundle.js';
export { type SandboxFailureReason, SandboxLimitError, SandboxThrown, type ThrownData } from './errors.js';
export { type PoolStats, SandboxPool } from './pool.js';
export {
  type CallResult,
  type ContextData,
  DEFAULT_LIMITS,
  type HostCalls,
  type PluginShape,
  type SandboxCall,
  type SandboxKind,
  type SandboxLimits,
} from './types.js';
