// Prometheus metrics of one kernel instance: RED per route and plugin, queue and sealer lag, pool
// saturation, per plugin per tenant usage, and Node's process metrics; served at GET /metrics.
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { WorkerTx } from '../workers/index.js';
import { installHttpMetrics } from './http.js';
import { installPluginMetrics, type UsageSource } from './plugins.js';
import { installPoolMetrics } from './pools.js';
import { installQueueMetrics, type SealerStats } from './queues.js';
import { createRegistry } from './registry.js';
import { metricsRoute } from './route.js';

export interface MetricsDeps {
  workerTx: WorkerTx;
  sealer: SealerStats;
  usage: UsageSource;
  pools: Parameters<typeof installPoolMetrics>[1];
}

export class KernelMetrics {
  readonly registry: Registry = createRegistry();

  constructor(deps: MetricsDeps) {
    installQueueMetrics(this.registry, deps);
    installPluginMetrics(this.registry, deps.usage);
    installPoolMetrics(this.registry, deps.pools);
  }

  /** Observes every request of the app (call before its routes are mounted). */
  observe(app: FastifyInstance): void {
    installHttpMetrics(app, this.registry);
  }

  route(token: string | undefined) {
    return metricsRoute(this.registry, token);
  }
}
