export { CAPABILITY, ELEMENT_TAG, manifestSchema, PERMISSION, PLUGIN_ID } from './schema.js';
export { ManifestError, type PluginManifest, type PluginPackage, parsePluginPackage } from './validate.js';
