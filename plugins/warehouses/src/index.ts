// Warehouses: items, warehouses with locations and bins, and an append-only ledger of stock moves
// that receipts, issues, approved transfers, adjustments and cycle counts post to. Publishes
// stock.received, stock.issued, stock.transferred, stock.adjusted and stock.below-reorder-point and
// stock.cancelled (a posted document cancelled by reversing moves), and item.upserted when an item is
// created or changed.
import { definePlugin } from '@erp/sdk';
import { cancelRoutes } from './cancels/index.js';
import { itemEvents, itemRoutes, locationRoutes } from './catalogue/index.js';
import { countRoutes } from './counts/index.js';
import { documentRoutes } from './documents/index.js';
import { lotDateSubscriptions } from './expiry/index.js';
import { importEvents, importSubscriptions } from './imports/index.js';
import { events, ledgerRoutes } from './ledger/index.js';
import { reconciliationRoutes } from './reconciliations/index.js';
import { reorderRoutes } from './reorder/index.js';
import { repackRoutes } from './repacks/index.js';
import { transferRoutes } from './transfers/index.js';

export default definePlugin({
  events: { ...events, ...importEvents, ...itemEvents },
  // Rows sent by the integrations plugin's importer (when a tenant runs it); lots' dates from
  // lots-serials (when installed), to refuse deliveries of expired lots.
  subscriptions: { ...importSubscriptions, ...lotDateSubscriptions },
  routes: {
    ...itemRoutes,
    ...locationRoutes,
    ...ledgerRoutes,
    ...documentRoutes,
    ...transferRoutes,
    ...countRoutes,
    ...reorderRoutes,
    ...cancelRoutes,
    ...repackRoutes,
    ...reconciliationRoutes,
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      approverMustDiffer: {
        type: 'boolean',
        default: false,
        description: 'Refuse approval of a transfer by the user who requested it (segregation of duties)',
      },
    },
  },
});
