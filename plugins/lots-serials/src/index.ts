// Lots and serials on top of the warehouses ledger. This plugin learns about stock moves only
// from the warehouses plugin's events (see projection/), and owns what is lot- and serial-specific:
// expiry dates, FEFO suggestions, forward and backward trace, recalls and warranty per serial.
// The rules that must hold at the moment of a move (a serial in stock once, issued only from where
// it is, serial count = quantity) are enforced by warehouses in the move's own transaction.
import { definePlugin } from '@erp/sdk';
import { checkRoutes } from './checks/index.js';
import { flagRoutes, LotDated } from './dates/index.js';
import { expiryRoutes } from './expiry/index.js';
import { lotRoutes } from './lots/index.js';
import { subscriptions } from './projection/index.js';
import { serialRoutes } from './serials/index.js';
import { LotRecalled, recallRoutes, traceRoutes } from './trace/index.js';

// The rules as a pure library (issue 14), like the costing engine.
export * from './rules/index.js';

export default definePlugin({
  events: { 'lot.recalled': LotRecalled, 'lot.dated': LotDated },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowExpiredDelivery: {
        type: 'boolean',
        default: false,
        description: 'Deliveries of expired lots pass POST /checks (with a warning) instead of being refused',
      },
    },
  },
  routes: {
    ...lotRoutes,
    ...expiryRoutes,
    ...checkRoutes,
    ...serialRoutes,
    ...traceRoutes,
    ...recallRoutes,
    ...flagRoutes,
  },
  subscriptions,
});
