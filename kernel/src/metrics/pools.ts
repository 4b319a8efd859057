// Saturation of the kernel's PostgreSQL pools: connections open, idle, and callers waiting for one
// (waiting > 0 for long means the pool, not the database, is the limit).
import { Gauge, type Registry } from 'prom-client';

interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

export function installPoolMetrics(registry: Registry, pools: Record<string, PoolLike>): void {
  const g = (name: string, help: string, value: (p: PoolLike) => number) => {
    const gauge: Gauge<'pool'> = new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        for (const [pool, p] of Object.entries(pools)) gauge.set({ pool }, value(p));
      },
    });
  };
  g('erp_db_pool_connections', 'Connections the pool holds', (p) => p.totalCount);
  g('erp_db_pool_idle', 'Idle connections in the pool', (p) => p.idleCount);
  g('erp_db_pool_waiting', 'Callers waiting for a connection', (p) => p.waitingCount);
  g('erp_db_pool_max', 'Most connections the pool opens', (p) => p.options.max ?? 10);
}
