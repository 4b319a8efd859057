// The kernel's public surface for other packages (tests, the SDK's harness, benchmarks).
export * as audit from './audit/index.js';
export { type KernelConfig, loadConfig } from './config/index.js';
export { type EmbeddedDatabase, startEmbeddedPostgres } from './db/embedded.js';
export { createTenantWithAdmin } from './iam/index.js';
export { KERNEL_VERSION, type RunningKernel, startKernel } from './kernel.js';
export {
  type CatalogEntry,
  LoadError,
  type LoadedPlugin,
  loadPlugin,
  loadSqlParser,
} from './plugins/index.js';
export { setupToken } from './shell/index.js';
