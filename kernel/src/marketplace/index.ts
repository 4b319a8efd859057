// The marketplace registry `erp start` runs and seeds (embedded verdaccio from @erp/marketplace).
export {
  type FetchedPlugin,
  loadMarketplace,
  type MarketplaceClientModule,
  type MarketplaceModule,
  type NpmKeysDocument,
  type PublisherKeyRecord,
  type PublisherSignature,
  type ReleaseVerification,
} from './module.js';
export { withPackLock } from './pack-lock.js';
export { firstPartyPackages } from './packages.js';
export { packFirstParty, seedPrepacked } from './prepacked.js';
export { FIRST_PARTY_PUBLISHER_FILE, FIRST_PARTY_SCOPES, FIRST_PARTY_USER } from './publisher.js';
export { type MarketplaceRegistry, startMarketplaceRegistry } from './registry.js';
export type { SeedResult } from './seed.js';
