// The marketplace in the kernel: the catalogue tenants browse, their trust policies, and installs,
// upgrades and pins from the registry with consent (see README "The marketplace: catalogue and installs").
export { Catalogue } from './catalogue.js';
export { type InstallerDeps, MarketplaceInstaller, type Preview } from './installer.js';
export { RegistryClient } from './registry-client.js';
export { marketplaceRoutes } from './routes.js';
export { defaultPolicy, TrustPolicies, type TrustPolicy } from './trust-policy.js';
export { requireMarketplace } from './wiring.js';
