export { integrityOf, type PackedPackage, type PackOptions, packFolder } from './pack.js';
export {
  type PublishedRelease,
  type PublishReleaseOptions,
  pluginManifestHash,
  publishRelease,
} from './publish-release.js';
