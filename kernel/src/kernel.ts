// Starting and stopping one kernel instance: database (embedded or given), signals, HTTP.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AwilixContainer, asValue } from 'awilix';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { auditRoutes } from './audit/index.js';
import { authRoutes, recoveryRoutes } from './auth/index.js';
import { marketplaceRoutes } from './catalogue/index.js';
import { deriveKey, type KernelConfig, loadOrCreateSecrets } from './config/index.js';
import { buildContainer, type KernelCradle } from './container.js';
import { openDatabase } from './db/index.js';
import { eventRoutes } from './events/index.js';
import { healthRoutes } from './health/index.js';
import { buildHttpApp, defineRoute, mountRoutes } from './http/index.js';
import { apiKeyRoutes, roleRoutes, userRoutes } from './iam/index.js';
import { jobRoutes } from './jobs/index.js';
import { KernelMetrics } from './metrics/index.js';
import { consentRoutes } from './oauth/consent/index.js';
import { oauthRoutes } from './oauth/index.js';
import { outboundPolicyRoutes } from './outbound/index.js';
import { frameRoutes, pluginTokenRoutes, uiKernelRoutes } from './plugin-ui/index.js';
import {
  loadSqlParser,
  mountPluginDispatch,
  pluginAdminRoutes,
  tenantOpenApiRoute,
  uiRoutes,
} from './plugins/index.js';

import {
  mountShellFiles,
  mountUiEvents,
  SetupState,
  ShellFiles,
  setupRoutes,
  setupToken,
  UiEventHub,
} from './shell/index.js';
import { installHttpTracing, startTracing } from './tracing/index.js';
import { KERNEL_VERSION } from './version.js';

/** The web shell's build output in this repository (ERP_SHELL_DIR names another). */
export const DEFAULT_SHELL_DIR = fileURLToPath(new URL('../../ui-shell/dist', import.meta.url));

export { KERNEL_VERSION };

export interface RunningKernel {
  app: FastifyInstance;
  container: AwilixContainer<KernelCradle>;
  url: string;
  stop(): Promise<void>;
}

export async function startKernel(
  config: KernelConfig,
  opts: { listen?: boolean; logStream?: DestinationStream } = {},
): Promise<RunningKernel> {
  const secrets = loadOrCreateSecrets(config.ERP_DATA_DIR, config.ERP_SECRET_KEY);
  // Plugin SQL and migrations are checked synchronously on Postgres's parser: load it first.
  await loadSqlParser();
  // Traces are configured by the standard OTEL_* variables, which the exporter reads itself.
  const tracing = await startTracing(process.env, {
    version: KERNEL_VERSION,
    tenantKey: deriveKey(secrets.master, 'trace-tenant'),
  });
  const db = await openDatabase(config, secrets);
  const container = buildContainer(config, secrets, db);
  const { signals, tenantTx, permissions, authenticator, authorizer, events, jobs, workerPool, busLog } =
    container.cradle;
  const graceMs = config.ERP_SHUTDOWN_GRACE_SECONDS * 1000;
  // Background work stops after the HTTP server (no new units of work) and before the pools close.
  const stopBackground = async () => {
    container.cradle.pluginVersions.stop();
    await container.cradle.pluginRunners.close();
    await container.cradle.auditSealer.stop();
    await jobs.stop(graceMs);
    await events.stop(graceMs);
    await workerPool.end();
  };
  // The web shell: its files, the first-run setup and the stream that keeps navigation current.
  const shellFiles = new ShellFiles(config.ERP_SHELL_DIR ?? DEFAULT_SHELL_DIR);
  const setupState = new SetupState(db.owner);
  const uiEvents = new UiEventHub(signals);
  const metrics = new KernelMetrics({
    workerTx: container.cradle.workerTx,
    sealer: container.cradle.auditSealer,
    usage: container.cradle.pluginRunners.usage,
    pools: { app: db.app, owner: db.owner, worker: db.worker, queue: workerPool },
  });
  try {
    await signals.start();
    const app = await buildHttpApp(
      {
        logLevel: config.LOG_LEVEL,
        bodyLimit: config.ERP_BODY_LIMIT,
        corsOrigins: config.corsOrigins,
        trustedProxies: config.trustedProxies,
        limits: {
          perUserPerMinute: config.ERP_RATE_LIMIT_USER,
          perTenantPerMinute: config.ERP_RATE_LIMIT_TENANT,
        },
        version: KERNEL_VERSION,
        logStream: opts.logStream,
        htmlFallback: (request, reply) => shellFiles.fallback(request, reply),
        instrument: tracing.enabled ? (app) => installHttpTracing(app, tracing) : undefined,
      },
      { authenticator, authorizer, refusals: container.cradle.refusalAudit },
      (app) => {
        metrics.observe(app);
        const routes = [
          ...healthRoutes([
            { name: 'database', check: async () => void (await db.app.query('select 1')) },
            { name: 'bus', check: () => events.checkReady() },
            {
              name: 'signals',
              check: async () => {
                if (!signals.connected) throw new Error('listener disconnected');
              },
            },
          ]),
          defineRoute({
            method: 'GET',
            url: '/openapi.json',
            access: 'public',
            summary: 'OpenAPI 3.1 document of this API',
            tags: ['meta'],
            handler: async () => app.swagger(),
          }),
          metrics.route(config.ERP_METRICS_TOKEN),
          ...authRoutes,
          ...recoveryRoutes,
          ...userRoutes,
          ...roleRoutes,
          ...apiKeyRoutes,
          ...eventRoutes,
          ...jobRoutes,
          ...outboundPolicyRoutes,
          ...oauthRoutes,
          ...consentRoutes(oauthRoutes),
          ...auditRoutes,
          ...pluginAdminRoutes({
            lifecycle: container.cradle.pluginLifecycle,
            installations: container.cradle.pluginInstallations,
            versions: container.cradle.pluginVersions,
            runners: container.cradle.pluginRunners,
          }),
          ...marketplaceRoutes({
            catalogue: container.cradle.marketplaceCatalogue,
            installer: container.cradle.marketplaceInstaller,
            policies: container.cradle.trustPolicies,
            installations: container.cradle.pluginInstallations,
            audit: container.cradle.audit,
          }),
          ...uiRoutes,
          ...pluginTokenRoutes,
          ...frameRoutes({ shell: shellFiles, versions: container.cradle.pluginVersions }),
          ...setupRoutes({ state: setupState, owner: db.owner, token: setupToken(secrets) }),
          tenantOpenApiRoute(app),
        ];
        container.register({ uiKernelRoutes: asValue(uiKernelRoutes(routes)) });
        mountRoutes(app, routes, { container, tenantTx, permissions });
        mountShellFiles(app, shellFiles);
        mountUiEvents(app, uiEvents, config.ERP_ACCESS_TOKEN_TTL);
        const c = container.cradle;
        mountPluginDispatch(app, {
          installations: c.pluginInstallations,
          versions: c.pluginVersions,
          authorizer,
          tenantTx,
          runners: c.pluginRunners,
          bindings: c.pluginBindings,
        });
      },
    );
    if (db.migrationsApplied.length) app.log.info({ migrations: db.migrationsApplied }, 'database migrated');
    busLog.current = app.log.child({ component: 'bus' });
    // Plugins: scan the catalogue (registers their permissions) and keep watching it; bind the
    // events, subscriptions and jobs of the plugins tenants run before the bus starts delivering,
    // then follow every install, upgrade, rollback, disable and removal (kernel.plugin.changed).
    // Registry versions other instances installed are fetched into this one's store on first use.
    mkdirSync(container.cradle.pluginStore, { recursive: true });
    container.cradle.pluginVersions.fetchMissingFrom((name, version, integrity) =>
      container.cradle.marketplaceInstaller.fetchMissing(name, version, integrity),
    );
    container.cradle.pluginVersions.refresh();
    container.cradle.pluginVersions.watch();
    await container.cradle.pluginBindings.start();
    await events.start();
    await jobs.start();
    if (config.ERP_BACKGROUND) container.cradle.auditSealer.start(app.log.child({ component: 'audit' }));
    let url = '';
    if (opts.listen !== false) url = await app.listen({ port: config.PORT, host: config.HOST });
    else await app.ready();
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await app.close();
        await stopBackground();
        await container.dispose(); // pools registered with a disposer (the credential throttle's)
        await signals.stop();
        await db.close();
        await tracing.flush();
      })());
    return { app, container, url, stop };
  } catch (err) {
    await stopBackground().catch(() => {});
    await container.dispose().catch(() => {});
    await signals.stop();
    await db.close();
    throw err;
  }
}
