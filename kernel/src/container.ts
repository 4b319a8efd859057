// The composition root: every kernel service is built here and nowhere else. Request handlers get
// a scope of this container carrying the principal and the request's transaction (`sql`).
import { type AwilixContainer, asFunction, asValue, createContainer, InjectionMode } from 'awilix';
import {
  AccessTokens,
  ApiKeys,
  Authenticator,
  LoginService,
  RefreshTokens,
  SecretBox,
  Sessions,
  Totp,
} from './auth/index.js';
import { deriveKey, type KernelConfig, type Secrets } from './config/index.js';
import type { Database } from './db/index.js';
import { Authorizer, KERNEL_PERMISSIONS, PermissionRegistry } from './rbac/index.js';
import { KernelSignals } from './signals/index.js';
import { Tenants, TenantTx } from './tenancy/index.js';

export interface KernelCradle {
  config: KernelConfig;
  secrets: Secrets;
  db: Database;
  tenantTx: TenantTx;
  tenants: Tenants;
  signals: KernelSignals;
  permissions: PermissionRegistry;
  authorizer: Authorizer;
  sessions: Sessions;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  apiKeys: ApiKeys;
  totp: Totp;
  authenticator: Authenticator;
  loginService: LoginService;
}

export function buildContainer(
  config: KernelConfig,
  secrets: Secrets,
  db: Database,
): AwilixContainer<KernelCradle> {
  const c = createContainer<KernelCradle>({ injectionMode: InjectionMode.PROXY, strict: true });
  c.register({
    config: asValue(config),
    secrets: asValue(secrets),
    db: asValue(db),
    tenantTx: asFunction(({ db }: KernelCradle) => new TenantTx(db.app)).singleton(),
    tenants: asFunction(({ db }: KernelCradle) => new Tenants(db.app)).singleton(),
    signals: asFunction(({ db }: KernelCradle) => new KernelSignals(db.appUrl)).singleton(),
    permissions: asFunction(() => {
      const registry = new PermissionRegistry();
      registry.register('kernel', KERNEL_PERMISSIONS);
      return registry;
    }).singleton(),
    authorizer: asFunction(
      ({ tenantTx, signals }: KernelCradle) => new Authorizer(tenantTx, signals),
    ).singleton(),
    sessions: asFunction(
      ({ tenantTx, signals }: KernelCradle) => new Sessions(tenantTx, signals),
    ).singleton(),
    accessTokens: asFunction(
      ({ secrets, config }: KernelCradle) =>
        new AccessTokens(deriveKey(secrets.master, 'jwt-hs256'), config.ERP_ACCESS_TOKEN_TTL),
    ).singleton(),
    refreshTokens: asFunction(
      ({ tenantTx, sessions, config }: KernelCradle) =>
        new RefreshTokens(tenantTx, sessions, config.ERP_REFRESH_TOKEN_TTL),
    ).singleton(),
    apiKeys: asFunction(({ tenantTx, signals }: KernelCradle) => new ApiKeys(tenantTx, signals)).singleton(),
    totp: asFunction(
      ({ secrets }: KernelCradle) => new Totp(new SecretBox(deriveKey(secrets.master, 'totp-seal'))),
    ).singleton(),
    authenticator: asFunction(
      ({ accessTokens, sessions, apiKeys }: KernelCradle) =>
        new Authenticator(accessTokens, sessions, apiKeys),
    ).singleton(),
    loginService: asFunction(
      (d: KernelCradle) =>
        new LoginService({
          tenants: d.tenants,
          tenantTx: d.tenantTx,
          sessions: d.sessions,
          refreshTokens: d.refreshTokens,
          accessTokens: d.accessTokens,
          totp: d.totp,
          lockout: { threshold: d.config.ERP_LOCKOUT_THRESHOLD, seconds: d.config.ERP_LOCKOUT_SECONDS },
          loginsPerIpPerMinute: d.config.ERP_RATE_LIMIT_LOGIN_IP,
        }),
    ).singleton(),
  });
  return c;
}
