// One unit of work per request: one transaction on one pooled connection, with the tenant set by
// set_config(..., true) so it ends with the transaction and can never leak to the next user of
// the connection. Row-level security reads erp.current_tenant() from it.
import type pg from 'pg';

export interface Sql {
  /** Parameterised SQL; rows as plain objects. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  one<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** Runs after COMMIT succeeds (cache invalidation); never after a rollback. */
  afterCommit(fn: () => void): void;
  readonly tenantId: string;
}

/** An error that still commits the transaction's work before it propagates (e.g. a failed-login counter). */
export interface CommitThenThrow {
  commitBeforeThrow: true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export class TenantTx {
  constructor(private readonly pool: pg.Pool) {}

  async run<T>(tenantId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    // The tenant id is inlined so BEGIN and set_config cost one round trip; it is a checked uuid.
    if (!isUuid(tenantId)) throw new Error('TenantTx.run: tenant id is not a uuid');
    const client = await this.pool.connect();
    const after: Array<() => void> = [];
    // A connection that failed on BEGIN/COMMIT/ROLLBACK is destroyed, not returned to the pool.
    let broken: Error | undefined;
    const control = async (text: string) => {
      try {
        await client.query(text);
      } catch (err) {
        broken = err as Error;
        throw err;
      }
    };
    try {
      await control(`begin; select set_config('erp.tenant_id', '${tenantId}', true)`);
      const sql: Sql = {
        tenantId,
        async query(text, params) {
          return (await client.query(text, params as unknown[])).rows;
        },
        async one(text, params) {
          return (await client.query(text, params as unknown[])).rows[0];
        },
        afterCommit(fn) {
          after.push(fn);
        },
      };
      let result: T;
      try {
        result = await work(sql);
      } catch (err) {
        if ((err as Partial<CommitThenThrow>)?.commitBeforeThrow) {
          await control('commit');
          for (const fn of after) fn();
        } else {
          await control('rollback').catch(() => {});
        }
        throw err;
      }
      await control('commit');
      for (const fn of after) fn();
      return result;
    } finally {
      client.release(broken);
    }
  }
}
