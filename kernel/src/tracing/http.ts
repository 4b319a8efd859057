// A server span per HTTP request, continuing the caller's trace when it sends `traceparent`, named
// by the route template (never the URL: ids and query strings stay out), with the status, the
// plugin that answered and the tenant as a keyed hash (or nothing). The span is made active for
// the rest of the request, so the unit of work's SQL, the plugin call and the outbox row it writes
// are its children.
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const PLUGIN_ROUTE = '/api/v1/p/:plugin/*';
const spans = new WeakMap<FastifyRequest, Span>();

export interface HttpTracingOptions {
  /** The tenant attribute's value for a tenant id, or undefined to leave it out. */
  tenantLabel(tenantId: string): string | undefined;
}

export function installHttpTracing(app: FastifyInstance, opts: HttpTracingOptions): void {
  const tracer = trace.getTracer('@erp/kernel/http');
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route === '/metrics' || route?.startsWith('/health')) return done();
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route ?? 'unmatched'}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route ?? 'unmatched',
          'url.scheme': request.protocol,
          'erp.request_id': request.id,
        },
      },
      parent,
    );
    spans.set(request, span);
    const active = trace.setSpan(parent, span);
    // Body parsing continues in the request stream's listeners: they run in the span's context too.
    context.bind(active, request.raw);
    context.with(active, done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    const status = reply.statusCode;
    span.setAttribute('http.response.status_code', status);
    if (request.routeOptions.url === PLUGIN_ROUTE && status !== 404) {
      const plugin = (request.params as { plugin?: unknown }).plugin;
      if (typeof plugin === 'string') span.setAttribute('erp.plugin', plugin);
    }
    const tenantId = request.principal?.tenantId;
    const tenant = tenantId ? opts.tenantLabel(tenantId) : undefined;
    if (tenant) span.setAttribute('erp.tenant', tenant);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
