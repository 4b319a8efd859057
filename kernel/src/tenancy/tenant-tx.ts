// One unit of work per request: one transaction on one pooled connection, with the tenant set by
// set_config(..., true) so it ends with the transaction and can never leak to the next user of
// the connection. Row-level security reads erp.current_tenant() from it.
//
// Every unit of work starts from a known state: the BEGIN round trip also checks that the
// connection runs as its login role with no tenant, no scope and the search path it was opened
// with; a connection found otherwise is destroyed and another one taken. After plugin SQL ran, the
// same check rides on the COMMIT, and a connection whose session state changed is destroyed
// rather than returned to the pool. Neither costs a round trip.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface Sql {
  /** Parameterised SQL; rows as plain objects. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  one<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R | undefined>;
  /**
   * One statement as another database role inside this transaction (a plugin's role, with its
   * schema first on the search path). Sent with the extended protocol: exactly one statement.
   */
  queryAs<R = Record<string, unknown>>(
    role: string,
    schema: string,
    text: string,
    params?: readonly unknown[],
  ): Promise<R[]>;
  /** The session's role and tenant are still exactly what this transaction set (nothing changed them behind its back). */
  integrityCheck(): Promise<boolean>;
  /** Runs after COMMIT succeeds (cache invalidation); never after a rollback. */
  afterCommit(fn: () => void): void;
  /** This unit of work must not commit: it rolls back and throws `err` even if the work returns. */
  doom(err: Error): void;
  readonly tenantId: string;
}

/** An error that still commits the transaction's work before it propagates (e.g. a failed-login counter). */
export interface CommitThenThrow {
  commitBeforeThrow: true;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Forces the extended protocol (pg sends parameterless queries as simple, multi-statement ones). */
function extended(text: string, values: unknown[]): pg.QueryConfig {
  return { text, values, queryMode: 'extended' } as pg.QueryConfig;
}

// Kernel statements run as named prepared statements: planning a short query costs Postgres more
// than executing it (measured ~250 µs of ~600 µs per request), and pg prepares each name once per
// connection. RLS stays correct: the tenant is read when the plan executes, not when it is made.
// Plugin SQL (queryAs) is never prepared: plugin schemas change at run time. The cap bounds the
// per-connection statement cache when SQL text is generated.
const MAX_PREPARED = 500;
const prepared = new Map<string, string>();

function statement(text: string, values: unknown[] | undefined): pg.QueryConfig {
  let name = prepared.get(text);
  if (name === undefined && prepared.size < MAX_PREPARED) {
    name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    prepared.set(text, name);
  }
  return name ? { name, text, values: values ?? [] } : { text, values };
}

// True when the session has no role, tenant or worker scope of its own; its search path is
// returned to compare with the one the connection was opened with. At BEGIN, set_config follows
// in the same target list (one statement fewer: measured cheaper than a separate SELECT); target
// lists are evaluated left to right, and were they not, every check would fail loudly (the tenant
// would already be set), never pass wrongly.
const SESSION_STATE = `select current_user = session_user
    and coalesce(current_setting('erp.tenant_id', true), '') = ''
    and coalesce(current_setting('erp.scope', true), '') = '' as clean,
  current_setting('search_path') as path`;

/** The search path each pooled connection had at its first unit of work. */
const openingPath = new WeakMap<pg.PoolClient, string>();

function sessionClean(client: pg.PoolClient, result: pg.QueryResult | undefined): boolean {
  const row = result?.rows[0] as { clean?: boolean; path?: string } | undefined;
  if (row?.clean !== true || typeof row.path !== 'string') return false;
  const first = openingPath.get(client);
  if (first === undefined) openingPath.set(client, row.path);
  return first === undefined || first === row.path;
}

/** Thrown (and the connection destroyed) when a connection's session state is not what the kernel left. */
export class SessionStateChanged extends Error {
  constructor(when: string) {
    super(`database session state changed (${when}): connection destroyed`);
    this.name = 'SessionStateChanged';
  }
}

const MAX_DIRTY_CONNECTIONS = 3;

type Savepoint = <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;
/** The savepoint runner of each open unit of work, kept off the Sql interface plugins see. */
const savepoints = new WeakMap<Sql, Savepoint>();

/**
 * Runs work inside a savepoint of the unit of work `sql` belongs to (a TenantTx's): if it throws
 * (or dooms its Sql), its statements roll back alone, its afterCommit callbacks are dropped, the
 * error propagates and the transaction goes on. Several event deliveries share one transaction
 * this way and a failing one takes none of the others with it.
 */
export function inSavepoint<T>(sql: Sql, work: (sql: Sql) => Promise<T>): Promise<T> {
  const run = savepoints.get(sql);
  if (!run) throw new Error('inSavepoint: not a TenantTx unit of work');
  return run(work);
}

export class TenantTx {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * A pooled connection inside BEGIN with the tenant set, whose session state was checked clean.
   * `onError` listens from the moment the connection is checked out: a connection lost during
   * BEGIN (a database restart) would otherwise be an uncaught 'error' event.
   */
  private async begin(tenantId: string, onError: (err: Error) => void): Promise<pg.PoolClient> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      client.on('error', onError);
      const discard = (err: Error) => {
        client.off('error', onError);
        client.release(err);
      };
      let results: pg.QueryResult[];
      try {
        // The tenant id is inlined so BEGIN, the check and set_config cost one round trip; it is a checked uuid.
        results = (await client.query(
          `begin; ${SESSION_STATE}, set_config('erp.tenant_id', '${tenantId}', true)`,
        )) as unknown as pg.QueryResult[];
      } catch (err) {
        discard(err as Error);
        throw err;
      }
      if (sessionClean(client, results[1])) return client;
      await client.query('rollback').catch(() => {});
      const err = new SessionStateChanged('at the start of a unit of work');
      discard(err);
      if (attempt >= MAX_DIRTY_CONNECTIONS) throw err;
    }
  }

  async run<T>(tenantId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    if (!isUuid(tenantId)) throw new Error('TenantTx.run: tenant id is not a uuid');
    // A connection that failed on BEGIN/COMMIT/ROLLBACK is destroyed, not returned to the pool.
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's: a connection lost between queries
    // (a database restart) would otherwise be an uncaught 'error' event and end the process.
    const onError = (err: Error) => {
      broken ??= err;
    };
    const client = await this.begin(tenantId, onError);
    const after: Array<() => void> = [];
    const control = async (text: string) => {
      try {
        await client.query(text);
      } catch (err) {
        broken = err as Error;
        throw err;
      }
    };
    // Set when plugin SQL ran: the session state is checked again as the transaction ends.
    let ranAs = false;
    let doomed: Error | undefined;
    const end = async (text: 'commit' | 'rollback') => {
      if (!ranAs) return control(text);
      let results: pg.QueryResult[];
      try {
        results = (await client.query(`${text}; ${SESSION_STATE}`)) as unknown as pg.QueryResult[];
      } catch (err) {
        broken = err as Error;
        throw err;
      }
      if (!sessionClean(client, results[1])) broken = new SessionStateChanged(`after ${text}`);
    };
    try {
      // The role the transaction currently runs as: null is the app role it connected as.
      let currentRole: string | null = null;
      const asApp = async () => {
        if (currentRole === null) return;
        await client.query('reset role; set local search_path to default');
        currentRole = null;
      };
      const sql: Sql = {
        tenantId,
        async query(text, params) {
          await asApp();
          return (await client.query(statement(text, params as unknown[]))).rows;
        },
        async one(text, params) {
          await asApp();
          return (await client.query(statement(text, params as unknown[]))).rows[0];
        },
        async queryAs(role, schema, text, params) {
          if (!ROLE_NAME.test(role) || !ROLE_NAME.test(schema))
            throw new Error('queryAs: invalid role or schema name');
          ranAs = true;
          if (currentRole !== role) {
            await client.query(`set local role ${role}; set local search_path to ${schema}, pg_catalog`);
            currentRole = role;
          }
          const res = await client.query(extended(text, (params ?? []) as unknown[]));
          return res.rows;
        },
        async integrityCheck() {
          const res = await client.query<{ ok: boolean }>(
            extended(
              "select (current_user = coalesce($1, session_user)) and current_setting('erp.tenant_id', true) = $2 as ok",
              [currentRole, tenantId],
            ),
          );
          return res.rows[0]?.ok === true;
        },
        afterCommit(fn) {
          after.push(fn);
        },
        doom(err) {
          doomed ??= err;
        },
      };
      // One savepoint name, established again for each scope: releasing the previous one rides on
      // the same round trip, so a scope costs one round trip of its own.
      let held = false;
      savepoints.set(sql, async (work) => {
        await asApp();
        try {
          await client.query(held ? 'release savepoint erp_each; savepoint erp_each' : 'savepoint erp_each');
        } catch (err) {
          broken = err as Error;
          throw err;
        }
        held = true;
        const scopeAfter: Array<() => void> = [];
        let scopeDoomed: Error | undefined;
        const scoped: Sql = {
          ...sql,
          afterCommit(fn) {
            scopeAfter.push(fn);
          },
          doom(err) {
            scopeDoomed ??= err;
          },
        };
        try {
          const value = await work(scoped);
          if (scopeDoomed) throw scopeDoomed;
          after.push(...scopeAfter);
          return value;
        } catch (err) {
          // The role goes back with the savepoint to what it was when it was set: the app role.
          try {
            await client.query('rollback to savepoint erp_each');
          } catch (again) {
            broken = again as Error;
            throw again;
          }
          currentRole = null;
          throw err;
        }
      });
      let result: T;
      try {
        result = await work(sql);
        if (doomed) throw doomed;
      } catch (err) {
        if (!doomed && (err as Partial<CommitThenThrow>)?.commitBeforeThrow) {
          await end('commit');
          for (const fn of after) fn();
        } else {
          await end('rollback').catch(() => {});
        }
        throw err;
      }
      await end('commit');
      for (const fn of after) fn();
      return result;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
