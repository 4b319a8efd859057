export {
  PUBLISHER_KEYS_FILE,
  type PublisherKeyLookup,
  type PublisherKeyRecord,
  PublisherKeyStore,
} from './key-store.js';
export { generatePublisherKey, type PublisherKeyPair, publisherKeyId } from './publisher-key.js';
export {
  manifestHash,
  type PublisherSignature,
  RELEASE_PAYLOAD_TYPE,
  type Release,
  releasePayload,
  signRelease,
} from './release-signature.js';
export {
  type ReleaseSignatureStatus,
  type ReleaseVerification,
  type VerifyReleaseInput,
  verifyRelease,
} from './verify-release.js';
