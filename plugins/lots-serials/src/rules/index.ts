// The lots-serials rules as a pure library (no HTTP, no database, no clock: "today" is an input),
// like the costing engine: expiry dates per item and their settings, FEFO order, expiry status and
// the delivery rule; the serial register (state after any history, receipt and delivery checks);
// upward and downward trace between documents.
export {
  canDeliver,
  checkExpirySettings,
  type DeliveryDecision,
  type ExpirySettings,
  type ExpiryStatus,
  expiryStatus,
  type FefoLot,
  fefoOrder,
  type LotDates,
  lotDates,
  type SettingsProblem,
} from './expiry.js';
export {
  checkDelivery,
  checkReceipt,
  duplicateSerials,
  effectiveMoves,
  type SerialEvent,
  type SerialLookup,
  type SerialMove,
  type SerialProblem,
  type SerialProblemCode,
  type SerialState,
  serialState,
} from './serials.js';
export {
  SINK_KINDS,
  SOURCE_KINDS,
  type TraceLink,
  type TraceMove,
  traceDown,
  traceUp,
  unitsOf,
} from './trace.js';
