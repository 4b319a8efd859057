export { apiKeyRoutes } from './api-key-routes.js';
export { BootstrapError, type BootstrapInput, createTenantWithAdmin } from './bootstrap.js';
export { roleRoutes } from './roles-routes.js';
export { userRoutes } from './users-routes.js';
