// @erp/sdk/marketplace: the publisher's side of the marketplace, light enough for a partner's
// machine (no registry server in it): Ed25519 publisher keys, the release signature, packing,
// publishing to the registry, and the client of the registry's publisher-key register.
// @erp/marketplace (the registry itself) imports these from here, so each exists once.
export { MarketplaceError } from './errors.js';
export { cleanNpmEnv, registryConfigKey } from './npm-env.js';
export { integrityOf, type PackedPackage, type PackOptions, packFolder, readPacked } from './pack.js';
export {
  type PublishedRelease,
  type PublishReleaseOptions,
  pluginManifestHash,
  publishRelease,
} from './publish-release.js';
export {
  generatePublisherKey,
  type PublisherKeyPair,
  privateKeyFrom,
  publicKeyFromBase64,
  publisherKeyId,
} from './publisher-key.js';
export {
  PUBLISHER_KEYS_PATH,
  type PublisherKeyLookup,
  type PublisherKeyRecord,
  RegistryPublisherKeys,
} from './publisher-keys-client.js';
export { assertRegistryReachable, registryWhoami } from './registry-user.js';
export {
  manifestHash,
  type PublisherSignature,
  RELEASE_PAYLOAD_TYPE,
  type Release,
  releasePayload,
  signatureMatches,
  signRelease,
} from './release-signature.js';
