// The kernel's own permissions, registered at start like any plugin's.
export const KERNEL_PERMISSIONS = {
  'iam.users.read': 'List and view users of the tenant',
  'iam.users.write': 'Create, change, disable and unlock users',
  'iam.roles.read': 'List and view roles and the permission catalogue',
  'iam.roles.write': 'Create, change and delete roles; assign and unassign them',
  'iam.apikeys.read': 'List API keys (never their secrets)',
  'iam.apikeys.write': 'Create, rotate and revoke API keys',
  'iam.sessions.write': 'Revoke other users\u2019 sessions',
  'kernel.tenant.read': 'View the tenant\u2019s settings',
  'kernel.tenant.write': 'Change the tenant\u2019s settings',
  'kernel.plugins.read': 'See the plugin catalogue and the tenant\u2019s installed plugins',
  'kernel.plugins.manage': 'Install, upgrade, roll back, enable, disable, configure and remove plugins',
} as const;

export type KernelPermission = keyof typeof KERNEL_PERMISSIONS;
