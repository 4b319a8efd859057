// @erp-plugin/costing: the costing engine (a pure library, exported for reuse and tests) and the
// plugin built on it. The plugin values every item per warehouse from the warehouses ledger's
// events, and offers item settings, landed costs, revaluations, the valuation report and COGS per
// issue over HTTP. See README.md for the semantics.
import { definePlugin } from '@erp/sdk';
import { events } from './issue-events/index.js';
import { landedCostRoutes } from './landed-costs/index.js';
import { subscriptions } from './moves/index.js';
import { reportRoutes } from './reports/index.js';
import { revaluationRoutes } from './revaluations/index.js';
import { settingsRoutes } from './settings/index.js';
import { vendorBillRoutes } from './vendor-bills/index.js';

export * from './engine/index.js';

export default definePlugin({
  events,
  routes: {
    ...reportRoutes,
    ...settingsRoutes,
    ...landedCostRoutes,
    ...revaluationRoutes,
    ...vendorBillRoutes,
  },
  subscriptions,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      defaultMethod: {
        type: 'string',
        enum: ['fifo', 'lifo', 'average'],
        default: 'fifo',
        description: 'Method for items without settings of their own (standard cost needs a price per item)',
      },
      currencyDecimals: {
        type: 'integer',
        minimum: 0,
        maximum: 12,
        default: 2,
        description: "Decimals of the currency's minor unit for items without settings of their own",
      },
      landedCostAfterSale: {
        type: 'string',
        enum: ['expense', 'recost'],
        default: 'expense',
        description:
          "A landed cost on units already sold: 'expense' their share on the landed cost's date (Odoo), or 'recost' the past issues and every later step (ERPNext)",
      },
      averageVendorReturn: {
        type: 'string',
        enum: ['average', 'receipt'],
        default: 'average',
        description:
          "Average cost: a vendor return leaves at the current 'average' (Odoo; the gap to the credit is a variance) or at the 'receipt' cost credited (ERPNext; the average moves)",
      },
      allowNegativeStock: {
        type: 'boolean',
        default: false,
        description:
          'Cost issues beyond what costing has on hand at the last known cost, corrected when stock arrives',
      },
    },
  },
});
