// Experiment: the same user-by-id read through progressively more of the kernel's SQL path.
import Fastify from 'fastify';
import pg from 'pg';
import { deriveKey } from '../../../../kernel/src/config/index.js';
import { appUrlFrom } from '../../../../kernel/src/db/urls.js';
import { TenantTx } from '../../../../kernel/src/tenancy/index.js';
import { failAsChild, serveAsChild } from '../support/child.js';
import { BENCH_APP_ROLE, BENCH_SECRET_KEY } from '../support/kernel.js';

const USER_BY_ID = `
  select u.id, u.email, u.display_name as "displayName", u.status, u.totp_enabled as "mfaEnabled",
         coalesce(u.locked_until > now(), false) as locked, u.created_at as "createdAt",
         coalesce(array(select ur.role_id::text from erp.user_roles ur
                         where ur.tenant_id = u.tenant_id and ur.user_id = u.id order by ur.role_id), '{}') as roles
    from erp.users u where u.tenant_id = $1 and u.id = $2`;

try {
  const tenantId = process.env.BENCH_TENANT_ID!;
  const ownerUrl = process.env.DATABASE_URL!;
  const appUrl = appUrlFrom(
    ownerUrl,
    BENCH_APP_ROLE,
    deriveKey(BENCH_SECRET_KEY, 'db-app-role').toString('base64url'),
  );
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 10 });
  const app = new pg.Pool({ connectionString: appUrl, max: 10 });
  const piped = new pg.Pool({ connectionString: appUrl, max: 10, pipeline: true } as pg.PoolConfig);
  const tx = new TenantTx(app);
  const f = Fastify({ logger: false });
  type R = { Params: { id: string } };
  const begin = `begin; select set_config('erp.tenant_id', '${tenantId}', true)`;
  // a: bare, superuser, one pool.query
  f.get<R>('/a/users/:id', async (req) => (await owner.query(USER_BY_ID, [tenantId, req.params.id])).rows[0]);
  // a2: app role, one pool.query with no tenant context: RLS returns nothing... so set via one statement
  // b: TenantTx.run as the kernel does it (3 round trips)
  f.get<R>('/b/users/:id', async (req) => tx.run(tenantId, (sql) => sql.one(USER_BY_ID, [tenantId, req.params.id])));
  // c: pipelined begin + select in one corked write, then commit (2 round trips, 2 writes)
  f.get<R>('/c/users/:id', async (req) => {
    const client = await piped.connect();
    try {
      const stream = (client as unknown as { connection: { stream: NodeJS.WritableStream & { cork(): void; uncork(): void } } }).connection.stream;
      stream.cork();
      const b = client.query(begin);
      const s = client.query(USER_BY_ID, [tenantId, req.params.id]);
      stream.uncork();
      await b;
      const row = (await s).rows[0];
      await client.query('commit');
      return row;
    } finally {
      client.release();
    }
  });
  // d: pipelined begin + select without cork (2 round trips of latency, 3 writes)
  f.get<R>('/d/users/:id', async (req) => {
    const client = await piped.connect();
    try {
      const b = client.query(begin);
      const s = client.query(USER_BY_ID, [tenantId, req.params.id]);
      await b;
      const row = (await s).rows[0];
      await client.query('commit');
      return row;
    } finally {
      client.release();
    }
  });
  // e: begin + select + commit all pipelined and corked (1 round trip, 1 write): the floor
  f.get<R>('/e/users/:id', async (req) => {
    const client = await piped.connect();
    try {
      const stream = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
      stream.cork();
      const b = client.query(begin);
      const s = client.query(USER_BY_ID, [tenantId, req.params.id]);
      const c = client.query('commit');
      stream.uncork();
      await b;
      const row = (await s).rows[0];
      await c;
      return row;
    } finally {
      client.release();
    }
  });
  // g: app role, pool.connect + one query + release (no transaction): cost of connect/release
  f.get<R>('/g/users/:id', async (req) => {
    const client = await owner.connect();
    try {
      return (await client.query(USER_BY_ID, [tenantId, req.params.id])).rows[0];
    } finally {
      client.release();
    }
  });
  const url = await f.listen({ port: 0, host: '127.0.0.1' });
  serveAsChild(url, async () => {
    await f.close();
    await Promise.all([owner.end(), app.end(), piped.end()]);
  });
} catch (err) {
  failAsChild(err);
}
