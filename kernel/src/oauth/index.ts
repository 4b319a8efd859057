// OAuth apps: third-party apps get tenant API access through the authorization-code flow with
// PKCE, scoped to the permissions a user consents to, with rotating refresh tokens, public or
// confidential clients, revocation (RFC 7009) and introspection (RFC 7662).
import { appRoutes } from './apps-routes.js';
import { flowRoutes } from './flow-routes.js';

export const oauthRoutes = [...appRoutes, ...flowRoutes];
