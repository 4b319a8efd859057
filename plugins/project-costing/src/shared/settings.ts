// The tenant's settings for the plugin (validated by the kernel against the config schema in
// src/index.ts) with their defaults.
import type { PluginContext as Ctx } from '@erp/sdk';

/** The currency exchange rates and the costing plugin's amounts are expressed in. */
export const baseCurrency = (ctx: Ctx): string =>
  typeof ctx.config.baseCurrency === 'string' ? ctx.config.baseCurrency : 'EUR';

export const today = () => new Date().toISOString().slice(0, 10);
