// OAuth apps: third-party apps get tenant API access through the authorization-code flow with
// PKCE, scoped to the permissions a user consents to, revocable.
export { oauthRoutes } from './routes.js';
