// Brings a database to the kernel's schema as the owning role: ensures the app roles exist with the
// right attributes, then runs the knex migrations under knex's own lock (safe with N replicas).
import knexFactory from 'knex';
import pg from 'pg';
import { ensureLoginRole } from './login-role.js';
import { APP_GROUP_ROLE, kernelMigrationSource, WORKER_ROLE } from './migrations/index.js';

const ROLE_LOCK = 728_813_001; // advisory lock key: role DDL is cluster-wide and not transactional-safe

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid role name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

// Role DDL is cluster-wide while advisory locks are per database, so migrations of two databases
// on one cluster (tests, several installs) can race here: "already exists" and concurrent-update
// errors are expected and retried.
const RACE_CODES = new Set(['42710', '23505', 'XX000', '40001']);

/**
 * Creates or updates the app login (member of the app group) and the background workers' login
 * (WORKER_ROLE: also a member of the app group, plus the queue tables' cross-tenant policies).
 * A null password leaves the login's password to the operator (DATABASE_APP_URL given).
 */
export async function ensureRoles(
  ownerUrl: string,
  appRole: string,
  appPassword: string | null,
  workerPassword: string | null = appPassword,
): Promise<void> {
  const group = quoteIdent(APP_GROUP_ROLE);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [ROLE_LOCK]);
    const exists = async (r: string) =>
      (await client.query('select 1 from pg_roles where rolname = $1', [r])).rowCount === 1;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await exists(APP_GROUP_ROLE))) {
          await client.query(`create role ${group} nologin nosuperuser nobypassrls nocreatedb nocreaterole`);
        }
        await ensureLogin(client, appRole, appPassword);
        await ensureLogin(client, WORKER_ROLE, workerPassword);
        return;
      } catch (err) {
        if (attempt >= 5 || !RACE_CODES.has((err as { code?: string }).code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [ROLE_LOCK]).catch(() => {});
    await client.end();
  }
}

/** A login role in the app group with the given password (kept as it is when null). */
async function ensureLogin(client: pg.Client, login: string, password: string | null): Promise<void> {
  const role = quoteIdent(login);
  await ensureLoginRole(client, login, password, { inherit: true });
  const member = await client.query(
    'select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member where g.rolname = $1 and u.rolname = $2',
    [APP_GROUP_ROLE, login],
  );
  if (!member.rowCount) await client.query(`grant ${quoteIdent(APP_GROUP_ROLE)} to ${role}`);
}

export async function migrateDatabase(ownerUrl: string): Promise<string[]> {
  const knex = knexFactory({ client: 'pg', connection: ownerUrl, pool: { min: 0, max: 1 } });
  try {
    await knex.raw('create schema if not exists erp_meta');
    const [, applied] = (await knex.migrate.latest({
      migrationSource: kernelMigrationSource,
      schemaName: 'erp_meta',
      tableName: 'kernel_migrations',
    })) as [number, string[]];
    return applied;
  } finally {
    await knex.destroy();
  }
}
