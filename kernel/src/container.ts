// The composition root: every kernel service is built here and nowhere else. Request handlers get
// a scope of this container carrying the principal and the request's transaction (`sql`).
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AwilixContainer, asFunction, asValue, createContainer, InjectionMode } from 'awilix';
import pg from 'pg';
import {
  AUDIT_PERMISSIONS,
  type AuditKeys,
  AuditLog,
  AuditSealer,
  type CheckpointSink,
  checkpointDir,
  DirectorySink,
  loadAuditKeys,
  RefusalAudit,
  sealerOptions,
} from './audit/index.js';
import {
  AccessTokens,
  ApiKeys,
  Authenticator,
  CredentialRefusals,
  CredentialThrottle,
  LoginService,
  PasswordResets,
  RecoveryCodes,
  RefreshTokens,
  Sessions,
  StepUp,
  Totp,
  totpBox,
} from './auth/index.js';
import {
  Catalogue,
  MarketplaceInstaller,
  RegistryClient,
  requireMarketplace,
  TrustPolicies,
} from './catalogue/index.js';
import { currentKey, deriveKey, type KernelConfig, type Secrets } from './config/index.js';
import type { Database } from './db/index.js';
import { BUS_PERMISSIONS, EventBus, EventRegistry, KERNEL_EVENTS } from './events/index.js';
import { JobQueue } from './jobs/index.js';
import { type MailTransport, mailTransport } from './mail/index.js';
import { FIRST_PARTY_USER } from './marketplace/index.js';
import { TenantOutbound } from './outbound/index.js';
import {
  PLUGIN_UI_TOKEN_PREFIX,
  PluginUiAuth,
  PluginUiTokens,
  type UiKernelRoutes,
} from './plugin-ui/index.js';
import {
  type ContextDeps,
  Installations,
  PluginBindings,
  PluginBreaker,
  PluginCatalog,
  PluginDatabase,
  PluginDirectory,
  PluginLifecycle,
  PluginQuotas,
  PluginRunners,
  PluginVersions,
  pluginSinks,
} from './plugins/index.js';
import { Authorizer, KERNEL_PERMISSIONS, PermissionRegistry } from './rbac/index.js';
import { KernelSignals } from './signals/index.js';
import { Tenants, TenantTx } from './tenancy/index.js';
import { KERNEL_VERSION } from './version.js';
import { LogRef, PgWakeup, WorkerTx } from './workers/index.js';

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
  /** Audits refused API keys and refresh tokens in the credential's tenant. */
  credentialRefusals: CredentialRefusals;
  authenticator: Authenticator;
  /** Scoped ≤ 60 s tokens of third-party plugin UIs (issue 19). */
  pluginUiTokens: PluginUiTokens;
  pluginUiAuth: PluginUiAuth;
  /** Registered once the kernel's routes are known (kernel.ts). */
  uiKernelRoutes: UiKernelRoutes;
  loginService: LoginService;
  /** Its own small pool, so a check inside a request's transaction never waits for that pool. */
  throttlePool: pg.Pool;
  throttle: CredentialThrottle;
  recoveryCodes: RecoveryCodes;
  stepUp: StepUp;
  mail: MailTransport;
  passwordResets: PasswordResets;
  /** Connections of the background workers (relay, dispatcher, jobs), apart from requests'. */
  workerPool: pg.Pool;
  workerTx: WorkerTx;
  /** Handlers and jobs run in their tenant's transaction on the worker pool. */
  workerTenantTx: TenantTx;
  busLog: LogRef;
  wakeup: PgWakeup;
  eventRegistry: EventRegistry;
  events: EventBus;
  jobs: JobQueue;
  auditKeys: AuditKeys;
  auditSink: CheckpointSink;
  /** Chains committed audit entries and signs checkpoints (background, worker pool). */
  auditSealer: AuditSealer;
  audit: AuditLog;
  /** Audits repeatable refusals (ERP_FORBIDDEN, refused outbound calls), coalesced per window. */
  refusalAudit: RefusalAudit;
  pluginVersions: PluginVersions;
  pluginInstallations: Installations;
  pluginDatabase: PluginDatabase;
  pluginBreaker: PluginBreaker;
  /** Each tenant's outbound allowance joined with the operator's; builds ctx.http.fetch's client. */
  tenantOutbound: TenantOutbound;
  pluginSinks: ContextDeps;
  /** The one door to plugin code: runner per trust, breaker, error mapping, usage counters. */
  pluginRunners: PluginRunners;
  pluginLifecycle: PluginLifecycle;
  pluginBindings: PluginBindings;
  /** The marketplace registry (REGISTRY_URL, or the embedded one `erp start` runs). */
  registryClient: RegistryClient;
  /** ERP_DATA_DIR/plugin-store: registry versions by integrity, a catalogue root of the plugin host. */
  pluginStore: string;
  marketplaceCatalogue: Catalogue;
  trustPolicies: TrustPolicies;
  marketplaceInstaller: MarketplaceInstaller;
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
    signals: asFunction(({ wakeup }: KernelCradle) => new KernelSignals(wakeup)).singleton(),
    permissions: asFunction(() => {
      const registry = new PermissionRegistry();
      registry.register('kernel', KERNEL_PERMISSIONS);
      registry.register('kernel', BUS_PERMISSIONS);
      registry.register('kernel', AUDIT_PERMISSIONS);
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
        new AccessTokens(deriveKey(currentKey(secrets).secret, 'jwt-hs256'), config.ERP_ACCESS_TOKEN_TTL),
    ).singleton(),
    refreshTokens: asFunction(
      ({ tenantTx, sessions, config, audit }: KernelCradle) =>
        new RefreshTokens(tenantTx, sessions, config.ERP_REFRESH_TOKEN_TTL, audit),
    ).singleton(),
    apiKeys: asFunction(({ tenantTx, signals }: KernelCradle) => new ApiKeys(tenantTx, signals)).singleton(),
    totp: asFunction(({ secrets }: KernelCradle) => new Totp(totpBox(secrets))).singleton(),
    credentialRefusals: asFunction(
      ({ tenantTx, audit }: KernelCradle) => new CredentialRefusals(tenantTx, audit),
    ).singleton(),
    authenticator: asFunction(
      ({ accessTokens, sessions, apiKeys, throttle, credentialRefusals, pluginUiAuth }: KernelCradle) =>
        new Authenticator(accessTokens, sessions, apiKeys, throttle, credentialRefusals, {
          prefix: PLUGIN_UI_TOKEN_PREFIX,
          authenticate: (token) => pluginUiAuth.authenticate(token),
        }),
    ).singleton(),
    pluginUiTokens: asFunction(
      ({ secrets }: KernelCradle) =>
        new PluginUiTokens(deriveKey(currentKey(secrets).secret, 'plugin-ui-hs256')),
    ).singleton(),
    pluginUiAuth: asFunction(
      ({ pluginUiTokens, sessions, pluginInstallations }: KernelCradle) =>
        new PluginUiAuth(pluginUiTokens, sessions, pluginInstallations),
    ).singleton(),
    throttlePool: asFunction(({ db }: KernelCradle) => {
      const pool = new pg.Pool({
        connectionString: db.appUrl,
        max: 4,
        application_name: 'erp-kernel-throttle',
      });
      pool.on('error', () => {});
      return pool;
    })
      .singleton()
      .disposer((pool) => pool.end()),
    throttle: asFunction(
      ({ throttlePool, config }: KernelCradle) =>
        new CredentialThrottle(throttlePool, {
          sourceFailuresPerMinute: config.ERP_RATE_LIMIT_LOGIN_IP,
          accountSourceFailures: config.ERP_LOCKOUT_THRESHOLD,
          accountFailures: config.ERP_THROTTLE_ACCOUNT_MAX,
          windowSeconds: config.ERP_LOCKOUT_SECONDS,
        }),
    ).singleton(),
    recoveryCodes: asFunction(() => new RecoveryCodes()).singleton(),
    mail: asFunction(({ config }: KernelCradle) =>
      mailTransport({
        smtpUrl: config.ERP_SMTP_URL,
        from: config.ERP_MAIL_FROM,
        dataDir: config.ERP_DATA_DIR,
      }),
    )
      .singleton()
      .disposer((mail) => mail.close()),
    passwordResets: asFunction(
      (d: KernelCradle) =>
        new PasswordResets({
          tenants: d.tenants,
          tenantTx: d.tenantTx,
          sessions: d.sessions,
          throttle: d.throttle,
          audit: d.audit,
          mail: d.mail,
          publicUrl: d.config.ERP_PUBLIC_URL ?? `http://${d.config.HOST}:${d.config.PORT}`,
          ttlSeconds: d.config.ERP_PASSWORD_RESET_TTL,
          onMailError: (err) => d.busLog.current?.error({ err }, 'password-reset mail not sent'),
        }),
    ).singleton(),
    stepUp: asFunction(
      ({ throttle, totp, recoveryCodes, audit }: KernelCradle) =>
        new StepUp({ throttle, totp, recoveryCodes, audit }),
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
          recoveryCodes: d.recoveryCodes,
          throttle: d.throttle,
          refusals: d.credentialRefusals,
          audit: d.audit,
        }),
    ).singleton(),
    workerPool: asFunction(({ db, config }: KernelCradle) => {
      const pool = new pg.Pool({
        connectionString: db.appUrl,
        max: config.ERP_WORKER_POOL_SIZE,
        application_name: 'erp-kernel-worker',
      });
      pool.on('error', () => {}); // an idle client lost to a server restart is replaced
      return pool;
    }).singleton(),
    // Cross-tenant queue work logs in as the worker role (migration 0005), never as the app.
    workerTx: asFunction(({ db }: KernelCradle) => new WorkerTx(db.worker)).singleton(),
    workerTenantTx: asFunction(({ workerPool }: KernelCradle) => new TenantTx(workerPool)).singleton(),
    busLog: asFunction(() => new LogRef()).singleton(),
    wakeup: asFunction(({ db, busLog }: KernelCradle) => new PgWakeup(db.appUrl, busLog)).singleton(),
    eventRegistry: asFunction(() => {
      const registry = new EventRegistry();
      registry.define('kernel', KERNEL_EVENTS);
      return registry;
    }).singleton(),
    events: asFunction(
      (d: KernelCradle) =>
        new EventBus(d.eventRegistry, {
          tenantTx: d.workerTenantTx,
          workerTx: d.workerTx,
          wakeup: d.wakeup,
          log: d.busLog,
          settings: {
            natsUrl: d.config.NATS_URL,
            namespace: d.config.ERP_NATS_NAMESPACE,
            background: d.config.ERP_BACKGROUND,
            pollMs: d.config.ERP_BUS_POLL_MS,
            concurrency: d.config.ERP_EVENTS_CONCURRENCY,
            maxAttempts: d.config.ERP_EVENTS_MAX_ATTEMPTS,
            leaseSeconds: d.config.ERP_EVENTS_LEASE_SECONDS,
            retentionDays: d.config.ERP_EVENTS_RETENTION_DAYS,
            retry: { baseMs: d.config.ERP_RETRY_BASE_MS, maxMs: d.config.ERP_RETRY_MAX_MS },
            instance: `${hostname()}:${process.pid}`,
          },
        }),
    ).singleton(),
    jobs: asFunction(
      (d: KernelCradle) =>
        new JobQueue({
          tenantTx: d.workerTenantTx,
          workerTx: d.workerTx,
          wakeup: d.wakeup,
          log: d.busLog,
          settings: {
            background: d.config.ERP_BACKGROUND,
            pollMs: d.config.ERP_BUS_POLL_MS,
            concurrency: d.config.ERP_JOBS_CONCURRENCY,
            maxAttempts: d.config.ERP_JOBS_MAX_ATTEMPTS,
            leaseSeconds: d.config.ERP_JOBS_LEASE_SECONDS,
            retry: { baseMs: d.config.ERP_RETRY_BASE_MS, maxMs: d.config.ERP_RETRY_MAX_MS },
            cronGraceMs: 60_000,
          },
        }),
    ).singleton(),
    auditKeys: asFunction(({ config }: KernelCradle) => loadAuditKeys(config)).singleton(),
    auditSink: asFunction(({ config }: KernelCradle) => new DirectorySink(checkpointDir(config))).singleton(),
    auditSealer: asFunction(
      (d: KernelCradle) =>
        new AuditSealer(
          d.workerTenantTx,
          d.workerPool,
          d.auditKeys.signer,
          d.auditSink,
          sealerOptions(d.config),
        ),
    ).singleton(),
    audit: asFunction(
      (d: KernelCradle) =>
        new AuditLog({ tenantTx: d.tenantTx, keys: d.auditKeys, sink: d.auditSink, sealer: d.auditSealer }),
    ).singleton(),
    pluginVersions: asFunction(({ config, permissions, busLog, pluginRunners }: KernelCradle) => {
      const path = config.ERP_PLUGIN_PATH?.split(':').filter(Boolean) ?? [
        fileURLToPath(new URL('../../plugins', import.meta.url)),
        join(config.ERP_DATA_DIR, 'plugins'),
      ];
      return new PluginVersions(
        new PluginCatalog(path, join(config.ERP_DATA_DIR, 'plugin-store')),
        permissions,
        { warn: (o, m) => busLog.current?.warn(o, m) },
        pluginRunners,
      );
    }).singleton(),
    pluginInstallations: asFunction(
      ({ tenantTx, signals }: KernelCradle) => new Installations(tenantTx, signals),
    ).singleton(),
    pluginDatabase: asFunction(({ db }: KernelCradle) => new PluginDatabase(db.owner, db)).singleton(),
    pluginBreaker: asFunction(() => new PluginBreaker()).singleton(),
    refusalAudit: asFunction(
      ({ tenantTx, audit, busLog, config }: KernelCradle) =>
        new RefusalAudit(
          { tenantTx, audit, log: { warn: (o, m) => busLog.current?.warn(o, m) } },
          {
            windowMs: config.ERP_AUDIT_REFUSAL_WINDOW_SECONDS * 1000,
            perTenant: config.ERP_AUDIT_REFUSALS_PER_TENANT,
          },
        ),
    )
      .singleton()
      .disposer((r) => r.close()),
    tenantOutbound: asFunction(
      ({ config, refusalAudit, signals }: KernelCradle) =>
        new TenantOutbound(
          config.ERP_OUTBOUND_ALLOW_PRIVATE.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          { refusals: refusalAudit, signals },
        ),
    ).singleton(),
    pluginSinks: asFunction((cradle: KernelCradle) => ({
      ...pluginSinks({ events: cradle.events, jobs: cradle.jobs, audit: cradle.audit }),
      outbound: cradle.tenantOutbound,
      // The catalogue is reached at call time: pluginVersions is built from pluginRunners, which needs these sinks.
      plugins: new PluginDirectory(() => cradle.pluginVersions.catalog, cradle.pluginInstallations),
    })).singleton(),
    pluginRunners: asFunction(
      ({ pluginSinks, pluginBreaker, config, tenantTx, busLog }: KernelCradle) =>
        new PluginRunners(pluginSinks, pluginBreaker, {
          runtime: config.ERP_PLUGIN_RUNTIME,
          quotas: new PluginQuotas(
            tenantTx,
            {
              invocations: config.ERP_PLUGIN_QUOTA_INVOCATIONS,
              cpuMs: config.ERP_PLUGIN_QUOTA_CPU_MS,
              dbMs: config.ERP_PLUGIN_QUOTA_DB_MS,
              dbRows: config.ERP_PLUGIN_QUOTA_DB_ROWS,
              events: config.ERP_PLUGIN_QUOTA_EVENTS,
              httpRequests: config.ERP_PLUGIN_QUOTA_HTTP_REQUESTS,
              httpBytes: config.ERP_PLUGIN_QUOTA_HTTP_BYTES,
            },
            config.ERP_PLUGIN_USAGE_FLUSH_MS,
            { warn: (o, m) => busLog.current?.warn(o, m) },
          ),
          sandbox: {
            memoryMb: config.ERP_SANDBOX_MEMORY_MB,
            cpuMs: {
              route: config.ERP_SANDBOX_CPU_MS_ROUTE,
              subscription: config.ERP_SANDBOX_CPU_MS_SUBSCRIPTION,
              job: config.ERP_SANDBOX_CPU_MS_JOB,
              hook: config.ERP_SANDBOX_CPU_MS_JOB,
            },
            wallMs: config.ERP_SANDBOX_WALL_MS,
            maxResultBytes: config.ERP_SANDBOX_MAX_RESULT_BYTES,
          },
        }),
    ).singleton(),
    pluginLifecycle: asFunction(
      (d: KernelCradle) =>
        new PluginLifecycle({
          events: d.pluginSinks.events,
          audit: d.pluginSinks.audit,
          versions: d.pluginVersions,
          installations: d.pluginInstallations,
          database: d.pluginDatabase,
          runners: d.pluginRunners,
          bindings: d.pluginBindings,
          kernelVersion: KERNEL_VERSION,
        }),
    ).singleton(),
    registryClient: asFunction(
      ({ config }: KernelCradle) => new RegistryClient(config.REGISTRY_URL),
    ).singleton(),
    pluginStore: asFunction(({ config }: KernelCradle) =>
      join(config.ERP_DATA_DIR, 'plugin-store'),
    ).singleton(),
    marketplaceCatalogue: asFunction(
      ({ registryClient }: KernelCradle) => new Catalogue(registryClient, requireMarketplace, KERNEL_VERSION),
    ).singleton(),
    trustPolicies: asFunction(() => new TrustPolicies(FIRST_PARTY_USER)).singleton(),
    marketplaceInstaller: asFunction(
      (d: KernelCradle) =>
        new MarketplaceInstaller({
          registry: d.registryClient,
          market: requireMarketplace,
          policies: d.trustPolicies,
          lifecycle: d.pluginLifecycle,
          installations: d.pluginInstallations,
          versions: d.pluginVersions,
          audit: d.audit,
          kernelVersion: KERNEL_VERSION,
          store: d.pluginStore,
          dependencyRegistry: d.config.ERP_DEPENDENCY_REGISTRY,
        }),
    ).singleton(),
    pluginBindings: asFunction(
      (d: KernelCradle) =>
        new PluginBindings({
          versions: d.pluginVersions,
          installations: d.pluginInstallations,
          events: d.events,
          eventRegistry: d.eventRegistry,
          jobs: d.jobs,
          runners: d.pluginRunners,
          tenantIds: () =>
            d.workerTx.run(async (sql) =>
              (await sql.query<{ id: string }>(`select id from erp.tenants where status = 'active'`)).map(
                (t) => t.id,
              ),
            ),
          log: () => d.busLog.current as never,
          problems: [],
        }),
    ).singleton(),
  });
  return c;
}
