// Safe outbound HTTP for plugins (ctx.http.fetch) and webhooks: refuses non-public addresses unless
// the tenant allows them, pins the checked address, streams under a size limit, never follows
// redirects. Errors are Problems: ERP_HTTP_URL_INVALID, ERP_HTTP_ADDRESS_REFUSED, ERP_HTTP_TIMEOUT,
// ERP_HTTP_TOO_LARGE, ERP_HTTP_UNREACHABLE, ERP_HTTP_REQUEST_INVALID, ERP_HTTP_POLICY_INVALID.
export { type AddressPolicy, createAddressPolicy } from './address-policy.js';
export { type ConnectOptions, type Connector, systemConnector } from './connect.js';
export {
  createOutboundFetch,
  OUTBOUND_DEFAULTS,
  type OutboundDeps,
  type OutboundFetch,
  type OutboundPolicy,
} from './fetch.js';
export { OutboundRefused } from './problems.js';
export type { OutboundInit, OutboundResponse } from './request.js';
export { type ResolvedAddress, type Resolver, systemResolver } from './resolve.js';
export { outboundPolicyRoutes } from './routes.js';
export {
  allowanceErrors,
  type OutboundCaller,
  TenantOutbound,
  type TenantOutboundDeps,
} from './tenant-policy.js';
