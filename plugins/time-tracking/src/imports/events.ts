// time-tracking answers the integrations import protocol for its target time-tracking.entries
// (which rows became draft entries, which were refused and why; what a rollback removed or found in
// use); the payloads are the SDK's.
export { importAnswerEvents as importEvents } from '@erp/sdk';
