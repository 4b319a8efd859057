// The marketplace module (an optional dependency of the kernel), or a 503 when it is missing.
import { loadMarketplace, type MarketplaceClientModule } from '../marketplace/index.js';
import { marketProblem } from './problems.js';

let loaded: Promise<MarketplaceClientModule | undefined> | undefined;

export async function requireMarketplace(): Promise<MarketplaceClientModule> {
  loaded ??= loadMarketplace();
  const m = await loaded;
  if (!m)
    throw marketProblem(
      503,
      'ERP_MARKETPLACE_UNAVAILABLE',
      'Marketplace not installed',
      '@erp/marketplace is not installed with this kernel.',
    );
  return m;
}
