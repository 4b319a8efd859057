// Mounts declared routes on fastify: schemas for validation, serialisation and OpenAPI; the access
// rule in the route config (checked by the access hooks); and, for guarded routes, the handler run
// inside the principal's tenant transaction with a request-scoped container (built on first use).
import { type AwilixContainer, asValue } from 'awilix';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../principal/index.js';
import type { Sql, TenantTx } from '../tenancy/index.js';
import type { AnyRoute } from './route.js';

export function mountRoutes(
  app: FastifyInstance,
  routes: AnyRoute[],
  deps: { container: AwilixContainer; tenantTx: TenantTx; permissions: { has(permission: string): boolean } },
): void {
  for (const route of routes) {
    const where = `${route.method} ${route.url}`;
    if (!route.access) throw new Error(`route ${where} declares no access rule`);
    if (typeof route.access === 'object' && !deps.permissions.has(route.access.permission)) {
      throw new Error(`route ${where} is guarded by unregistered permission ${route.access.permission}`);
    }
    const status = route.status ?? 200;
    const response: Record<string, unknown> = { '4xx': { $ref: 'Problem#' }, '5xx': { $ref: 'Problem#' } };
    if (status === 204) response[204] = { type: 'null', description: 'No content' };
    else if (route.response) response[status] = route.response;
    app.route({
      method: route.method,
      url: route.url,
      config: { access: route.access },
      schema: {
        summary: route.summary,
        tags: route.tags,
        ...(typeof route.access === 'object'
          ? { description: `Requires permission \`${route.access.permission}\`.` }
          : {}),
        ...(route.body ? { body: route.body } : {}),
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { querystring: route.query } : {}),
        response,
        security: route.access === 'public' ? [] : [{ bearerAuth: [] }],
      },
      handler: async (request, reply) => {
        // The request scope is built on first use: most handlers take only sql, params and
        // principal, and an awilix scope per request is measurable on hot read paths.
        let scope: AwilixContainer | undefined;
        let unitOfWork: { sql: Sql; principal: Principal } | undefined;
        const ctx: Record<string, unknown> = {
          body: request.body,
          params: request.params,
          query: request.query,
          request,
          reply,
          get scope() {
            if (!scope) {
              scope = deps.container.createScope();
              if (unitOfWork) {
                scope.register({ sql: asValue(unitOfWork.sql), principal: asValue(unitOfWork.principal) });
              }
            }
            return scope;
          },
        };
        let result: unknown;
        if (route.access === 'public') {
          result = await route.handler(ctx);
        } else {
          const principal = request.principal!;
          result = await deps.tenantTx.run(principal.tenantId, (sql) => {
            unitOfWork = { sql, principal };
            scope?.register({ sql: asValue(sql), principal: asValue(principal) });
            ctx.principal = principal;
            ctx.sql = sql;
            return route.handler(ctx);
          });
        }
        reply.code(status);
        return status === 204 ? reply.send() : result;
      },
    });
  }
}
