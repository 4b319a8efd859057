// The background workers' transaction: no tenant, on the worker login (erp_kernel_worker), which the
// queue tables' worker_queue policies admit (migration 0005) — a role, not a setting any session
// could make. Only claiming, routing and pruning use it; every handler and job runs in a TenantTx
// of its own tenant on the app login.
import type pg from 'pg';

export interface WorkerSql {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  one<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R | undefined>;
}

export class WorkerTx {
  constructor(private readonly pool: pg.Pool) {}

  async run<T>(work: (sql: WorkerSql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's: a connection lost between queries
    // (a database restart) would otherwise be an uncaught 'error' event and end the process.
    const onError = (err: Error) => {
      broken ??= err;
    };
    client.on('error', onError);
    const control = async (text: string) => {
      try {
        await client.query(text);
      } catch (err) {
        broken = err as Error;
        throw err;
      }
    };
    try {
      await control('begin');
      const sql: WorkerSql = {
        async query(text, params) {
          return (await client.query(text, params as unknown[])).rows;
        },
        async one(text, params) {
          return (await client.query(text, params as unknown[])).rows[0];
        },
      };
      let result: T;
      try {
        result = await work(sql);
      } catch (err) {
        await control('rollback').catch(() => {});
        throw err;
      }
      await control('commit');
      return result;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
