// time-tracking as an import target of the integrations plugin (declared in the manifest's
// erp.imports as `entries`): rows become draft entries; a rollback removes them while drafts.
import type { PluginSubscription } from '@erp/sdk';
import { onImportBatch, onImportRollback } from './apply.js';

export { importEvents } from './events.js';

export const importSubscriptions: Record<string, PluginSubscription> = {
  'import-batch': { event: 'integrations.import.batch', handler: onImportBatch },
  'import-rollback': { event: 'integrations.import.rollback', handler: onImportRollback },
};
