// What every concern of the plugin shares: the context type, schemas, problems and settings.
import type { PluginContext } from '@erp/sdk';

export type Ctx = PluginContext;
export * from './problems.js';
export * from './schemas.js';
export * from './settings.js';
