export { ConfigError } from './errors.js';
export { type KernelConfig, loadConfig } from './load.js';
export {
  addMasterKey,
  currentKey,
  deriveKey,
  keyId,
  loadOrCreateSecrets,
  type MasterKey,
  type Secrets,
} from './secrets.js';
