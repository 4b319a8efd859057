// One Prometheus registry per kernel instance (never prom-client's global one: tests and the
// embedded runner start several kernels in one process), with Node's process metrics under erp_.
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'erp_' });
  return registry;
}
