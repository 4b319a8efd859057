// @erp/marketplace: the embedded npm registry, its signatures, publisher signatures and the plugin store.
export { MarketplaceError } from './errors.js';
export * from './plugin-store/index.js';
export * from './publish/index.js';
export * from './publisher-signatures/index.js';
export * from './registry/index.js';
export * from './registry-signatures/index.js';
