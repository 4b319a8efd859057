import type { AuditLog } from '../audit/index.js';
import type { ApiKeys, CredentialThrottle, RecoveryCodes, Sessions, Totp } from '../auth/index.js';
import type { Authorizer, PermissionRegistry } from '../rbac/index.js';

/** What the IAM routes resolve from the request scope. */
export interface IamCradle {
  permissions: PermissionRegistry;
  authorizer: Authorizer;
  sessions: Sessions;
  apiKeys: ApiKeys;
  audit: AuditLog;
  throttle: CredentialThrottle;
  totp: Totp;
  recoveryCodes: RecoveryCodes;
}
