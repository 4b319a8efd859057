export { buildHttpApp, type HttpOptions, REDACTED_PATHS } from './app.js';
export * as schemas from './common-schemas.js';
export { errorHandler, sendProblem, toProblem } from './error-handler.js';
export { mountRoutes } from './mount.js';
export {
  badRequest,
  type FieldError,
  forbidden,
  notFound,
  Problem,
  problemSchema,
  unauthenticated,
  validationProblem,
} from './problem.js';
export { type Access, type AnyRoute, accessLabel, defineRoute, type RouteSpec } from './route.js';
export type { RegisteredRoute } from './types.js';
