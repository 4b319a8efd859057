// What every concern of the plugin shares: the context type, schemas, problems and decimals.
import type { PluginContext } from '@erp/sdk';

export type Ctx = PluginContext;
export * from './decimal.js';
export * from './problems.js';
export * from './schemas.js';
