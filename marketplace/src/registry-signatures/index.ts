export {
  keysDocument,
  type NpmKeysDocument,
  type NpmSignature,
  signVersion,
  verifyVersionSignature,
} from './npm-signature.js';
export {
  loadOrCreateRegistryKey,
  REGISTRY_KEY_FILE,
  type RegistryKey,
  registryKeyFromPrivate,
} from './registry-key.js';
