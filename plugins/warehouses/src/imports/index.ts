// Warehouses as an import target of the integrations plugin: it applies the rows of
// integrations.import.batch for warehouses.items, warehouses.locations and
// warehouses.opening-stock (a receipt per batch) and answers with
// import.applied; integrations.import.rollback removes them while nothing uses them; and it
// answers integrations.export.requested for warehouses.items with its pages.
import type {
  EventEnvelope,
  ImportBatchPayload,
  ImportRollbackPayload,
  PluginContext,
  PluginSubscription,
} from '@erp/sdk';
import { onExportRequested } from './exports.js';
import { importItems } from './items.js';
import { importLocations } from './locations.js';
import { importOpeningStock } from './opening-stock.js';
import { rollbackImport } from './rollback.js';
import type { BatchRow } from './types.js';

export { importEvents } from './events.js';

/** The protocol's batch; each target checks its rows' data (the kernel validated their shape). */
type Batch = Omit<ImportBatchPayload, 'rows'> & { rows: BatchRow<never>[] };

async function onBatch(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const b = event.payload as unknown as Batch;
  const all = b.mode === 'all';
  let result: Awaited<ReturnType<typeof importItems>>;
  if (b.target === 'warehouses.items') result = await importItems(ctx, b.rows, all);
  else if (b.target === 'warehouses.locations') result = await importLocations(ctx, b.rows, all);
  else if (b.target === 'warehouses.opening-stock')
    result = await importOpeningStock(ctx, b.importId, b.rows, all);
  else return; // another plugin's target
  await ctx.events.publish('import.applied', {
    importId: b.importId,
    target: b.target,
    batch: b.batch,
    ...result,
  });
}

async function onRollback(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const r = event.payload as unknown as ImportRollbackPayload;
  if (!r.target.startsWith('warehouses.')) return;
  const outcome = await rollbackImport(ctx, r.target, r.ids);
  await ctx.events.publish('import.rolled-back', { importId: r.importId, target: r.target, ...outcome });
}

export const importSubscriptions: Record<string, PluginSubscription> = {
  'import-batch': { event: 'integrations.import.batch', handler: onBatch },
  'import-rollback': { event: 'integrations.import.rollback', handler: onRollback },
  'export-request': { event: 'integrations.export.requested', handler: onExportRequested },
};
