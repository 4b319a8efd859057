// Child process: the bare baseline of kernel-read.bench.ts. Plain fastify + pg (pool 10, the
// cluster's superuser so RLS does not apply) running the kernel's GET /api/v1/iam/users/:id query by
// primary key with one pool.query: no auth, no transaction, no hooks, no response schema.
import Fastify from 'fastify';
import pg from 'pg';
import { failAsChild, serveAsChild } from '../support/child.js';

// Keep identical to userSelect + loadUser in kernel/src/iam/users-routes.ts (the lock state is
// throttledSql of kernel/src/auth/throttle.ts with the default limits).
const USER_BY_ID = `
  select u.id, u.email, u.display_name as "displayName", u.status, u.totp_enabled as "mfaEnabled",
         exists (select 1 from erp.auth_throttle t,
           (select rtrim(translate(encode(sha256(convert_to(u.tenant_id::text, 'UTF8') || '\\x00'::bytea
                      || convert_to(lower(u.email), 'UTF8')), 'base64'), '+/', '-_'), '=') as h) a
          where (t.expire is null or t.expire > (extract(epoch from clock_timestamp()) * 1000)::bigint)
            and ((t.key = 'acc:' || a.h and t.points >= 50)
              or (t.key collate "C" >= 'acs:' || a.h || '.' and t.key collate "C" < 'acs:' || a.h || '/'
                  and t.points >= 5))) as locked, u.created_at as "createdAt",
         coalesce(array(select ur.role_id::text from erp.user_roles ur
                         where ur.tenant_id = u.tenant_id and ur.user_id = u.id order by ur.role_id), '{}') as roles
    from erp.users u where u.tenant_id = $1 and u.id = $2`;

try {
  const tenantId = process.env.BENCH_TENANT_ID;
  if (!tenantId) throw new Error('BENCH_TENANT_ID is not set');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const { rows } = await pool.query(USER_BY_ID, [tenantId, request.params.id]);
    if (!rows[0]) return reply.code(404).send({ error: 'not found' });
    return rows[0];
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  serveAsChild(url, async () => {
    await app.close();
    await pool.end();
  });
} catch (err) {
  failAsChild(err);
}
