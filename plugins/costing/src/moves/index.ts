// The moves of the warehouses ledger, turned into costing steps.
export { subscriptions } from './subscriptions.js';
