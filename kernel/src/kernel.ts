// Starting and stopping one kernel instance: database (embedded or given), signals, HTTP.
import { createRequire } from 'node:module';
import type { AwilixContainer } from 'awilix';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { authRoutes } from './auth/index.js';
import { type KernelConfig, loadOrCreateSecrets } from './config/index.js';
import { buildContainer, type KernelCradle } from './container.js';
import { openDatabase } from './db/index.js';
import { healthRoutes } from './health/index.js';
import { buildHttpApp, defineRoute, mountRoutes } from './http/index.js';
import { apiKeyRoutes, roleRoutes, userRoutes } from './iam/index.js';

export const KERNEL_VERSION: string = createRequire(import.meta.url)('../package.json').version;

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
  const db = await openDatabase(config, secrets);
  const container = buildContainer(config, secrets, db);
  const { signals, tenantTx, permissions, authenticator, authorizer } = container.cradle;
  try {
    await signals.start();
    const app = await buildHttpApp(
      {
        logLevel: config.LOG_LEVEL,
        bodyLimit: config.ERP_BODY_LIMIT,
        corsOrigins: config.corsOrigins,
        trustProxy: config.ERP_TRUST_PROXY,
        limits: {
          perUserPerMinute: config.ERP_RATE_LIMIT_USER,
          perTenantPerMinute: config.ERP_RATE_LIMIT_TENANT,
        },
        version: KERNEL_VERSION,
        logStream: opts.logStream,
      },
      { authenticator, authorizer },
      (app) => {
        const routes = [
          ...healthRoutes([
            { name: 'database', check: async () => void (await db.app.query('select 1')) },
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
          ...authRoutes,
          ...userRoutes,
          ...roleRoutes,
          ...apiKeyRoutes,
        ];
        mountRoutes(app, routes, { container, tenantTx, permissions });
      },
    );
    if (db.migrationsApplied.length) app.log.info({ migrations: db.migrationsApplied }, 'database migrated');
    let url = '';
    if (opts.listen !== false) url = await app.listen({ port: config.PORT, host: config.HOST });
    else await app.ready();
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await app.close();
        await signals.stop();
        await db.close();
      })());
    return { app, container, url, stop };
  } catch (err) {
    await signals.stop();
    await db.close();
    throw err;
  }
}
