export { Authorizer } from './authorizer.js';
export { GrantSet, intersectGrants, simplifyGrants } from './grant-set.js';
export { KERNEL_PERMISSIONS, type KernelPermission } from './kernel-permissions.js';
export { PERMISSION_PATTERN, type PermissionInfo, PermissionRegistry } from './permission-registry.js';
