// Keys and the release signature are the SDK's (publishers make them); verifying is the registry's.
export {
  generatePublisherKey,
  manifestHash,
  type PublisherKeyPair,
  type PublisherSignature,
  publisherKeyId,
  RELEASE_PAYLOAD_TYPE,
  type Release,
  releasePayload,
  signRelease,
} from '@erp/sdk/marketplace';
export {
  PUBLISHER_KEYS_FILE,
  type PublisherKeyLookup,
  type PublisherKeyRecord,
  PublisherKeyStore,
} from './key-store.js';
export {
  type ReleaseSignatureStatus,
  type ReleaseVerification,
  type VerifyReleaseInput,
  verifyRelease,
} from './verify-release.js';
