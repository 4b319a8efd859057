// The key register's HTTP client is the SDK's (erp-plugin key … uses it); re-exported for the kernel.
export { PUBLISHER_KEYS_PATH, RegistryPublisherKeys } from '@erp/sdk/marketplace';
export { ownershipKey, SCOPE_OWNERS_FILE, ScopeOwners } from './scope-owners.js';
export { type RunningRegistry, type StartRegistryOptions, startRegistry } from './start-registry.js';
