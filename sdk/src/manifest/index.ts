export {
  CAPABILITY,
  ELEMENT_TAG,
  KERNEL_API_CAPABILITY,
  manifestSchema,
  PERMISSION,
  PLUGIN_ID,
  UI_KERNEL_ROUTES,
} from './schema.js';
export { ManifestError, type PluginManifest, type PluginPackage, parsePluginPackage } from './validate.js';
