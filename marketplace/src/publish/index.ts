// What `erp-plugin publish` needs (pack, sign, publish) lives in @erp/sdk/marketplace, where a
// partner's CLI can use it without this package's registry server; re-exported for the kernel.
export {
  integrityOf,
  type PackedPackage,
  type PackOptions,
  type PublishedRelease,
  type PublishReleaseOptions,
  packFolder,
  pluginManifestHash,
  publishRelease,
  readPacked,
} from '@erp/sdk/marketplace';
