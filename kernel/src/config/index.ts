export { ConfigError, type KernelConfig, loadConfig } from './load.js';
export { deriveKey, loadOrCreateSecrets, type Secrets } from './secrets.js';
