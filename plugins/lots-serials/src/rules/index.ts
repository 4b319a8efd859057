// The lots-serials rules as a pure library (no HTTP, no database, no clock: "today" is an input),
// like the costing engine: expiry dates per item, FEFO order, expiry status and the delivery rule.
export {
  canDeliver,
  type DeliveryDecision,
  type ExpirySettings,
  type ExpiryStatus,
  expiryStatus,
  type FefoLot,
  fefoOrder,
  type LotDates,
  lotDates,
} from './expiry.js';
