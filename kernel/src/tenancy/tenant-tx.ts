// One unit of work per request: one transaction on one pooled connection, with the tenant set by
// set_config(..., true) so it ends with the transaction and can never leak to the next user of
// the connection. Row-level security reads erp.current_tenant() from it.
//
// Every unit of work starts from a known state: the BEGIN also checks that the connection runs as
// its login role with no tenant, no scope and the search path it was opened with; a connection
// found otherwise is destroyed and another one taken. After plugin SQL ran, the same check rides on
// the COMMIT, and a connection whose session state changed is destroyed rather than returned to
// the pool. Neither costs a round trip.
//
// Round trips (issue 13): the connection runs in the driver's pipeline mode for the unit of work,
// and what has no answer anyone waits for (BEGIN with the tenant, SET LOCAL ROLE and search path,
// RESET ROLE, a savepoint) is written ahead of the next statement, without waiting, in the same
// round trip. A request whose work is one statement costs two round trips (that statement, then
// COMMIT); statements a handler sends together (Promise.all) share one. The integrity check of a
// unit of work that ran plugin SQL is a statement that raises (erp.assert_unit_of_work, migration
// 0014), sent ahead of the COMMIT and of the first kernel statement after plugin SQL: a change of
// role or tenant aborts the transaction before anything commits.
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
    /**
     * Set: the statement is prepared once per connection under a name derived from this key,
     * the role, the schema and the text. The key must change whenever the schema the statement
     * reads may have changed (see preparedPluginStatement).
     */
    prepareKey?: string,
  ): Promise<R[]>;
  /** The session's role and tenant are still exactly what this transaction set (nothing changed them behind its back). */
  integrityCheck(): Promise<boolean>;
  /**
   * The error to throw when the role and tenant are found changed as the unit of work leaves
   * plugin SQL (checked without a round trip of its own, at the latest with the COMMIT, which
   * then rolls back). Without one, a UnitOfWorkTampered is thrown.
   */
  onTampered(error: () => Error): void;
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
// The cap bounds the per-connection statement cache when SQL text is generated.
const MAX_PREPARED = 500;
const prepared = new Map<string, string>();

// Plugin SQL (queryAs) is prepared too when its caller gives a key (issue 13: the plugin route's
// statements were parsed and planned over RLS-guarded tables on every request). A named statement
// keeps its result type for the life of the connection: after a migration that changes what the
// same text returns (`select *` over a table that gained a column) PostgreSQL refuses to run it
// ("cached plan must not change result type"). The key therefore names the schema's state (plugin
// version and migrations; see plugins/runner/plugin-sql.ts), so a migration gives every statement
// a new name. Old names stay prepared on their connections until those close, bounded by the cap.
const MAX_PREPARED_PLUGIN = 2000;
const preparedPlugin = new Map<string, string>();

function pluginStatement(
  key: string,
  role: string,
  schema: string,
  text: string,
  values: unknown[],
): pg.QueryConfig {
  const id = `${key}\u0000${role}\u0000${schema}\u0000${text}`;
  let name = preparedPlugin.get(id);
  if (name === undefined && preparedPlugin.size < MAX_PREPARED_PLUGIN) {
    name = `p${createHash('sha1').update(id).digest('base64url').slice(0, 22)}`;
    preparedPlugin.set(id, name);
  }
  return name ? { name, text, values } : extended(text, values);
}

/** True for PostgreSQL's refusal to run a prepared statement whose result type changed (0A000). */
export function isStalePreparedStatement(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

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

/** The role or tenant of a unit of work was changed by the SQL it ran: it was rolled back. */
export class UnitOfWorkTampered extends Error {
  constructor() {
    super("the unit of work's role or tenant was changed: rolled back");
    this.name = 'UnitOfWorkTampered';
  }
}

/** SQLSTATE raised by erp.assert_unit_of_work. */
const TAMPERED = 'ER001';

/** The socket under a node-postgres connection (not in its type declarations). */
interface Corkable {
  cork?(): void;
  uncork?(): void;
}

/** The pipeline switch of node-postgres's Client (not in its type declarations). */
const pipelined = (client: pg.PoolClient, on: boolean) => {
  (client as unknown as { pipeline: boolean }).pipeline = on;
};

/** The assertion sent as a unit of work leaves a plugin role (role and tenant are checked names). */
const assertIntact = (role: string | null, tenantId: string) =>
  `select erp.assert_unit_of_work(${role === null ? 'null' : `'${role}'`}, '${tenantId}')`;

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

  async run<T>(tenantId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    if (!isUuid(tenantId)) throw new Error('TenantTx.run: tenant id is not a uuid');
    // A connection that failed on BEGIN/COMMIT/ROLLBACK is destroyed, not returned to the pool.
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's: a connection lost between queries
    // (a database restart) would otherwise be an uncaught 'error' event and end the process.
    const onError = (err: Error) => {
      broken ??= err;
    };
    const checkout = async () => {
      const c = await this.pool.connect();
      c.on('error', onError);
      pipelined(c, true);
      return c;
    };
    const giveBack = (c: pg.PoolClient, err: Error | undefined) => {
      c.off('error', onError);
      pipelined(c, false);
      c.release(err);
    };
    // Connecting is not a round trip the work waits on twice: the pool hands out an open connection.
    let client = await checkout();
    const after: Array<() => void> = [];
    // BEGIN is sent with the first statement; a unit of work that sends none costs nothing.
    let begun = false;
    // Statements without an answer to wait for, written ahead of the next one in its round trip.
    let ahead: string[] = [];
    // Set when plugin SQL ran: the session state is checked again as the transaction ends.
    let ranAs = false;
    let doomed: Error | undefined;
    // Set when erp.assert_unit_of_work refused: nothing of this unit of work may commit.
    let tampered: Error | undefined;
    let tamperedError: (() => Error) | undefined;
    const tamperedBy = (err: unknown): Error | undefined => {
      if ((err as { code?: string })?.code !== TAMPERED) return undefined;
      tampered ??= tamperedError?.() ?? new UnitOfWorkTampered();
      return tampered;
    };
    // The role the transaction currently runs as: null is the app role it connected as.
    let currentRole: string | null = null;

    // The socket stays corked until the current synchronous run ends: everything sent in it (the
    // statements ahead, the statement, and those a handler sends together with Promise.all) leaves
    // in one write, one wake-up of the backend instead of one per statement.
    let corked: Corkable | undefined;
    const corkForThisTick = () => {
      if (corked) return;
      const stream = (client as unknown as { connection?: { stream?: Corkable } }).connection?.stream;
      if (!stream?.cork || !stream.uncork) return;
      stream.cork();
      corked = stream;
      queueMicrotask(() => {
        corked = undefined;
        stream.uncork!();
      });
    };
    /**
     * Sends `q` with whatever waits ahead of it (and BEGIN if this is the first statement) in one
     * round trip. `control`: a failure leaves the connection in an unknown state (destroy it).
     */
    const send = async (q: pg.QueryConfig | string, control = false): Promise<pg.QueryResult> => {
      for (let attempt = 1; ; attempt++) {
        const beginning = !begun;
        begun = true;
        const heads = ahead;
        ahead = [];
        const lead = [
          // The tenant id is inlined so BEGIN, the check and set_config go as one statement list; it is a checked uuid.
          ...(beginning ? [`begin; ${SESSION_STATE}, set_config('erp.tenant_id', '${tenantId}', true)`] : []),
          ...heads,
        ];
        corkForThisTick();
        const first = lead.length ? client.query(lead.join('; ')) : Promise.resolve(undefined);
        const main = client.query(q as pg.QueryConfig);
        const [led, done] = await Promise.allSettled([first, main]);
        if (led.status === 'rejected') {
          const err = led.reason as Error;
          if (tamperedBy(err)) throw tampered;
          broken = err;
          throw err;
        }
        if (beginning) {
          const results = led.value as unknown as pg.QueryResult[];
          if (!sessionClean(client, results[1])) {
            // What ran behind the check ran on a connection in an unknown state: undone, and the
            // whole round trip sent again on another connection.
            await client.query('rollback').catch(() => {});
            const err = new SessionStateChanged('at the start of a unit of work');
            giveBack(client, err);
            if (attempt >= MAX_DIRTY_CONNECTIONS) {
              client = undefined as unknown as pg.PoolClient;
              throw err;
            }
            client = await checkout();
            begun = false;
            ahead = heads;
            continue;
          }
        }
        if (done.status === 'rejected') {
          if (control) broken = done.reason as Error;
          throw done.reason;
        }
        return done.value;
      }
    };
    // Leaving a plugin role: the role and tenant are asserted before anything runs as the app role.
    const leaveRole = () => {
      if (currentRole === null) return;
      ahead.push(assertIntact(currentRole, tenantId));
      currentRole = null;
    };
    const asApp = () => {
      if (currentRole === null) return;
      leaveRole();
      ahead.push('reset role; set local search_path to default');
    };
    const end = async (text: 'commit' | 'rollback') => {
      // Nothing was sent: there is no transaction to end.
      if (!begun) return;
      const check = ranAs && text === 'commit' ? [assertIntact(currentRole, tenantId)] : [];
      const statements = [...check, ...ahead, text, ...(ranAs ? [SESSION_STATE] : [])];
      ahead = [];
      let results: pg.QueryResult[];
      try {
        results = (await client.query(statements.join('; '))) as unknown as pg.QueryResult[];
      } catch (err) {
        if (tamperedBy(err)) {
          // The COMMIT behind the refused assertion never ran: the transaction is rolled back here.
          await end('rollback');
          throw tampered;
        }
        broken = err as Error;
        throw err;
      }
      if (ranAs && !sessionClean(client, results[results.length - 1]))
        broken = new SessionStateChanged(`after ${text}`);
    };
    try {
      const sql: Sql = {
        tenantId,
        async query(text, params) {
          asApp();
          return (await send(statement(text, params as unknown[]))).rows;
        },
        async one(text, params) {
          asApp();
          return (await send(statement(text, params as unknown[]))).rows[0];
        },
        async queryAs(role, schema, text, params, prepareKey) {
          if (!ROLE_NAME.test(role) || !ROLE_NAME.test(schema))
            throw new Error('queryAs: invalid role or schema name');
          ranAs = true;
          if (currentRole !== role) {
            leaveRole();
            ahead.push(`set local role ${role}; set local search_path to ${schema}, pg_catalog`);
            currentRole = role;
          }
          const values = (params ?? []) as unknown[];
          const q =
            prepareKey === undefined
              ? extended(text, values)
              : pluginStatement(prepareKey, role, schema, text, values);
          return (await send(q)).rows;
        },
        async integrityCheck() {
          const res = await send(
            extended(
              "select (current_user = coalesce($1, session_user)) and current_setting('erp.tenant_id', true) = $2 as ok",
              [currentRole, tenantId],
            ),
          );
          return res.rows[0]?.ok === true;
        },
        onTampered(error) {
          tamperedError = error;
        },
        afterCommit(fn) {
          after.push(fn);
        },
        doom(err) {
          doomed ??= err;
        },
      };
      // One savepoint name, established again for each scope: releasing the previous one rides on
      // the same statement list, and the list goes ahead of the scope's first statement.
      let held = false;
      savepoints.set(sql, async (work) => {
        asApp();
        const mark = held ? 'release savepoint erp_each; savepoint erp_each' : 'savepoint erp_each';
        ahead.push(mark);
        const wasHeld = held;
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
          const unsent = ahead.indexOf(mark);
          if (unsent >= 0) {
            // The scope sent nothing: its savepoint (and what was queued after it) never reached the database.
            ahead = ahead.slice(0, unsent);
            held = wasHeld;
          } else {
            // The role goes back with the savepoint to what it was when it was set: the app role.
            ahead = [];
            try {
              await client.query('rollback to savepoint erp_each');
            } catch (again) {
              broken = again as Error;
              throw again;
            }
          }
          currentRole = null;
          throw err;
        }
      });
      let result: T;
      try {
        result = await work(sql);
        if (tampered) throw tampered;
        if (doomed) throw doomed;
      } catch (err) {
        if (!doomed && !tampered && (err as Partial<CommitThenThrow>)?.commitBeforeThrow) {
          await end('commit');
          for (const fn of after) fn();
        } else {
          await end('rollback').catch(() => {});
        }
        throw tampered ?? err;
      }
      await end('commit');
      for (const fn of after) fn();
      return result;
    } finally {
      if (client) giveBack(client, broken);
    }
  }
}
