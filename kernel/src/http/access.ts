// The access hooks every route passes through: authentication (onRequest, before the body is even
// read), then per-user and per-tenant rate limits and the permission check (preValidation, so a
// caller without the permission learns nothing from validation errors). Default deny: a matched
// route with no access rule answers 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../principal/index.js';
import { forbidden, Problem } from './problem.js';

/**
 * Verifies a credential (the Authorization header) and says who is calling, or throws a 401
 * problem; `source` is the client address (refused credentials count toward its limit).
 */
export interface Authenticates {
  authenticate(authorization: string | undefined, source?: string, requestId?: string): Promise<Principal>;
}

/** Answers whether a principal holds a permission. */
export interface Authorizes {
  allows(principal: Principal, permission: string): Promise<boolean>;
}

/** Told of every ERP_FORBIDDEN answer of a kernel route (the refusal audit); must not throw. */
export interface ReportsForbidden {
  forbidden(request: FastifyRequest, principal: Principal, permission: string): Promise<void>;
  /** A plugin UI token used outside its plugin's routes (ERP_PLUGIN_TOKEN_SCOPE). */
  outOfScope?(request: FastifyRequest, principal: Principal): Promise<void>;
}

export interface AccessLimits {
  perUserPerMinute: number;
  perTenantPerMinute: number;
}

/** The plugins' route family (kernel/src/plugins/dispatch.ts). */
const PLUGIN_ROUTES = '/api/v1/p/:plugin/*';
const pluginParam = (request: FastifyRequest) => (request.params as { plugin?: string } | undefined)?.plugin;

async function consume(limiter: RateLimiterMemory, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    throw new Problem(429, 'ERP_RATE_LIMITED', 'Too many requests', {
      detail: `The ${what} request rate limit was reached.`,
      retryAfterSeconds: res instanceof RateLimiterRes ? res.msBeforeNext / 1000 : 60,
    });
  }
}

export function installAccessHooks(
  app: FastifyInstance,
  deps: {
    authenticator: Authenticates;
    authorizer: Authorizes;
    limits: AccessLimits;
    refusals?: ReportsForbidden;
  },
): void {
  const perUser = new RateLimiterMemory({ points: deps.limits.perUserPerMinute, duration: 60 });
  const perTenant = new RateLimiterMemory({ points: deps.limits.perTenantPerMinute, duration: 60 });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === undefined) {
      throw new Problem(403, 'ERP_ROUTE_UNGUARDED', 'Route has no access rule', {
        detail: 'This route declares no access rule and is refused by default.',
      });
    }
    if (access === 'public') return;
    request.principal = await deps.authenticator.authenticate(
      request.headers.authorization,
      request.ip,
      String(request.id),
    );
    // A plugin UI's scoped token opens that plugin's own routes and the kernel routes its manifest
    // was granted, nothing else (issue 19).
    const plugin = request.principal.plugin;
    const url = request.routeOptions.url;
    if (
      plugin &&
      !(url === PLUGIN_ROUTES && pluginParam(request) === plugin.id) &&
      !plugin.kernelRoutes.includes(`${request.method}:${url}`)
    ) {
      await deps.refusals?.outOfScope?.(request, request.principal);
      throw new Problem(403, 'ERP_PLUGIN_TOKEN_SCOPE', 'Not this plugin token\u2019s route', {
        detail: `A token of ${plugin.id}'s user interface may only call /api/v1/p/${plugin.id}/… and the kernel routes its manifest was granted.`,
      });
    }
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    const access = request.routeOptions.config.access;
    const principal = request.principal;
    if (!principal || access === undefined || access === 'public') return;
    const actor = principal.apiKeyId ?? principal.userId ?? 'anonymous';
    await consume(perTenant, principal.tenantId, 'tenant');
    await consume(perUser, `${principal.tenantId}:${actor}`, 'per-user');
    if (access !== 'authenticated' && !(await deps.authorizer.allows(principal, access.permission))) {
      // Audited before answering; no unit of work is open here, so the entry has its own.
      await deps.refusals?.forbidden(request, principal, access.permission);
      throw forbidden(access.permission);
    }
  });
}
