export { apiKeyRoutes } from './api-key-routes.js';
export {
  BootstrapError,
  type BootstrapInput,
  createTenantWithAdmin,
  TenantsExistError,
} from './bootstrap.js';
export { BreakGlassError, type GrantAdminResult, grantAdmin } from './break-glass.js';
export { roleRoutes } from './roles-routes.js';
export { userRoutes } from './users-routes.js';
