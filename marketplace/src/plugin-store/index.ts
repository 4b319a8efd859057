export { cleanNpmEnv, registryConfigKey } from '@erp/sdk/marketplace';
export { type FetchedPlugin, type FetchPluginOptions, fetchPlugin, storeFolderFor } from './fetch-plugin.js';
export { type PackumentLike, resolveVersion } from './resolve-version.js';
