// Small pieces the composition root needs: the marketplace module (optional dependency) or a 503,
// and the recorded integrity of a registry version (global table, read on the app pool).
import type pg from 'pg';
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

/** The integrity a tenant installed `name@version` with, on any instance; undefined if none did. */
export function artifactIntegrity(pool: pg.Pool) {
  return async (name: string, version: string): Promise<string | undefined> => {
    const { rows } = await pool.query<{ integrity: string }>(
      `select integrity from erp.plugin_artifacts where package = $1 and version = $2
        order by first_installed_at desc limit 1`,
      [name, version],
    );
    return rows[0]?.integrity;
  };
}
