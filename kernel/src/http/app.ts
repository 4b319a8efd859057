// The kernel's fastify instance: security headers, CORS allowlist, body limit, request ids, log
// redaction, problem+json errors, OpenAPI 3.1 with Swagger UI, access hooks and the routes.
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { logTraceFields } from '../tracing/index.js';
import {
  type AccessLimits,
  type Authenticates,
  type Authorizes,
  installAccessHooks,
  type ReportsForbidden,
} from './access.js';
import { errorHandler, sendProblem } from './error-handler.js';
import { Problem, problemSchema } from './problem.js';
import { securityHeaders } from './security-headers.js';
import type { RegisteredRoute } from './types.js';
import { validatorCompiler } from './validation.js';

const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'adminPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'otp',
];
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  // A secret field is redacted wherever it is logged: at the top or up to two levels down.
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

export interface HttpOptions {
  logLevel: string;
  bodyLimit: number;
  corsOrigins: string[];
  /** Addresses/CIDR ranges of trusted reverse proxies; empty: X-Forwarded-For is ignored. */
  trustedProxies: string[];
  limits: AccessLimits;
  version: string;
  /** Where logs go (default stdout); tests pass a stream to inspect what gets logged. */
  logStream?: DestinationStream;
  /** Tried before the 404 problem: the web shell answers page requests for its own routes. */
  htmlFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
  /** Hooks that must see the whole request (tracing): installed before every other hook. */
  instrument?: (app: FastifyInstance) => void;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export async function buildHttpApp(
  opts: HttpOptions,
  deps: { authenticator: Authenticates; authorizer: Authorizes; refusals?: ReportsForbidden },
  register: (app: FastifyInstance) => Promise<void> | void,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Inside a trace, every line carries trace_id and span_id: logs and traces join on them.
      mixin: logTraceFields,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    bodyLimit: opts.bodyLimit,
    trustProxy: opts.trustedProxies.length ? opts.trustedProxies : false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  opts.instrument?.(app);
  app.setValidatorCompiler(validatorCompiler());
  // OAuth 2.0's token endpoint takes form-encoded bodies (RFC 6749, section 4.1.3).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.decorateRequest('principal', null);
  app.addSchema(problemSchema);
  app.setErrorHandler(errorHandler);
  // A block body: a handler that returns a value has fastify send it again ("Reply was already
  // sent", logged on every shell page reload such as /setup).
  app.setNotFoundHandler((request, reply) => {
    if (opts.htmlFallback?.(request, reply)) return;
    sendProblem(
      new Problem(404, 'ERP_ROUTE_NOT_FOUND', 'No such route', {
        detail: `${request.method} ${request.url.split('?')[0]}`,
      }),
      request,
      reply,
    );
  });
  // Routes added by third-party fastify plugins (the Swagger UI's static files, and the CORS
  // plugin's OPTIONS * that answers preflights or 404s) are public by declaration here; any other
  // route without an access rule is refused by the access hooks.
  app.addHook('onRoute', (route) => {
    const thirdParty = route.url.startsWith('/docs') || (route.method === 'OPTIONS' && route.url === '*');
    if (thirdParty && route.config?.access === undefined) {
      route.config = { ...(route.config ?? {}), access: 'public' };
    }
  });
  // Every route as mounted, with its access rule, so a test can prove none is left unguarded.
  const registered: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      registered.push({ method, url: route.url, access: route.config?.access, schema: route.schema ?? {} });
    }
  });

  const security = securityHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(security);
    reply.header('x-request-id', request.id);
    done();
  });
  await app.register(cors, {
    origin: opts.corsOrigins.length ? opts.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ERP kernel API', version: opts.version, license: { name: 'Apache-2.0' } },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  installAccessHooks(app, { ...deps, limits: opts.limits });
  await register(app);
  return app;
}
