export { integrityOf, type PackedPackage, packFolder } from './pack.js';
export {
  type PublishedRelease,
  type PublishReleaseOptions,
  pluginManifestHash,
  publishRelease,
} from './publish-release.js';
