export { PUBLISHER_KEYS_PATH } from './publisher-key-routes.js';
export { RegistryPublisherKeys } from './publisher-keys-client.js';
export { ownershipKey, SCOPE_OWNERS_FILE, ScopeOwners } from './scope-owners.js';
export { type RunningRegistry, type StartRegistryOptions, startRegistry } from './start-registry.js';
