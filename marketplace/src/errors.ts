// The marketplace's one error type lives with its publisher side in the SDK (packing, signing and
// publishing run on partners' machines); the registry side throws the same class, so callers match
// one `instanceof` and one set of codes.
export { MarketplaceError } from '@erp/sdk/marketplace';
