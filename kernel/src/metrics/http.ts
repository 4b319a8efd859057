// RED per route: a histogram of request durations by method, route template, status class and,
// for the plugin route family, the plugin. Route templates (not URLs) keep the label set bounded;
// a plugin id is a label only when the request reached a plugin that answered (not 404), so
// made-up ids in URLs cannot grow it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

const PLUGIN_ROUTE = '/api/v1/p/:plugin/*';
// From a fast read to a slow report: Prometheus's defaults, one step shorter and longer.
const BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function pluginOf(request: FastifyRequest, status: number): string {
  if (request.routeOptions.url !== PLUGIN_ROUTE || status === 404) return '';
  const id = (request.params as { plugin?: unknown }).plugin;
  return typeof id === 'string' ? id : '';
}

export function installHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'erp_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template, status class and plugin',
    labelNames: ['method', 'route', 'status', 'plugin'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    duration.observe(
      {
        method: request.method,
        route,
        status: `${Math.floor(reply.statusCode / 100)}xx`,
        plugin: pluginOf(request, reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
