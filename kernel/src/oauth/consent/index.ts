// The OAuth consent screen: the page a third-party app sends its user to and the decision route.
export { consentRoutes } from './routes.js';
