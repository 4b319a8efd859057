export { type FetchedPlugin, type FetchPluginOptions, fetchPlugin, storeFolderFor } from './fetch-plugin.js';
export { cleanNpmEnv, registryConfigKey } from './npm-env.js';
export { type PackumentLike, resolveVersion } from './resolve-version.js';
