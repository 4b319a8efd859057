// Experiment: TenantTx variants in-process (no HTTP): CPU per unit of work in Node and Postgres.
import pg from 'pg';
import { cpuMsBetween, cpuMsByPid, processTree } from '../support/cpu.js';
import { benchCluster, scratchDatabase } from '../support/database.js';
import { startBenchKernel, BENCH_APP_ROLE, BENCH_SECRET_KEY } from '../support/kernel.js';
import { deriveKey } from '../../../../kernel/src/config/index.js';
import { appUrlFrom } from '../../../../kernel/src/db/urls.js';

const USER_BY_ID = `
  select u.id, u.email, u.display_name as "displayName", u.status, u.totp_enabled as "mfaEnabled",
         coalesce(u.locked_until > now(), false) as locked, u.created_at as "createdAt",
         coalesce(array(select ur.role_id::text from erp.user_roles ur
                         where ur.tenant_id = u.tenant_id and ur.user_id = u.id order by ur.role_id), '{}') as roles
    from erp.users u where u.tenant_id = $1 and u.id = $2`;
const cleanup: Array<() => Promise<void>> = [];
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const k = await startBenchKernel(db.url);
  cleanup.unshift(() => k.stop());
  const appUrl = appUrlFrom(db.url, BENCH_APP_ROLE, deriveKey(BENCH_SECRET_KEY, 'db-app-role').toString('base64url'));
  const base = await import('/tmp/kbase/kernel/src/tenancy/tenant-tx.ts');
  const exp = await import('/tmp/kexp/kernel/src/tenancy/tenant-tx.ts');
  const plain = new pg.Pool({ connectionString: appUrl, max: 10 });
  const piped = new pg.Pool({ connectionString: appUrl, max: 10, pipeline: true } as pg.PoolConfig);
  const owner = new pg.Pool({ connectionString: db.url, max: 10 });
  const variants: Record<string, (id: string) => Promise<unknown>> = {
    bare: async (id) => (await owner.query(USER_BY_ID, [k.tenantId, id])).rows[0],
    base: (id) => new base.TenantTx(plain).run(k.tenantId, (sql: any) => sql.one(USER_BY_ID, [k.tenantId, id])),
    uow: (id) => new exp.TenantTx(plain).runLazy(k.tenantId, (sql: any) => sql.one(USER_BY_ID, [k.tenantId, id])),
    'uow+pipe': (id) => new exp.TenantTx(piped).runLazy(k.tenantId, (sql: any) => sql.one(USER_BY_ID, [k.tenantId, id])),
  };
  const tid = k.tenantId;
  const tx3 = (pool: pg.Pool, named: boolean, ctl: 'simple' | 'named') => async (id: string) => {
    const c = await pool.connect();
    try {
      if (ctl === 'simple') await c.query(`begin; select set_config('erp.tenant_id', '${tid}', true)`);
      else {
        await c.query({ name: 'erp_begin', text: 'begin' });
        await c.query({ name: 'erp_tenant', text: "select set_config('erp.tenant_id', $1, true)", values: [tid] });
      }
      const r = named ? await c.query({ name: 'u1', text: USER_BY_ID, values: [tid, id] }) : await c.query(USER_BY_ID, [tid, id]);
      if (ctl === 'simple') await c.query('commit'); else await c.query({ name: 'erp_commit', text: 'commit' });
      return r.rows[0];
    } finally { c.release(); }
  };
  const oneRt = async (id: string) => {
    const c = await plain.connect();
    try {
      const r = (await c.query(`begin; select set_config('erp.tenant_id', '${tid}', true); ${USER_BY_ID.replace('$1', `'${tid}'`).replace('$2', `'${id}'`)}; commit`)) as unknown as pg.QueryResult[];
      return r[2]!.rows[0];
    } finally { c.release(); }
  };
  Object.assign(variants, {
    'bare-named': async (id: string) => (await owner.query({ name: 'u1', text: USER_BY_ID, values: [tid, id] })).rows[0],
    'tx3-owner': tx3(owner, false, 'simple'),
    'tx3-app': tx3(plain, false, 'simple'),
    'tx3-app-named': tx3(plain, true, 'simple'),
    'tx4-all-named': tx3(plain, true, 'named'),
    '1rt': oneRt,
  });
  const names = (process.env.TX ?? Object.keys(variants).join(',')).split(',');
  const res: Record<string, number[][]> = {};
  for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
    for (const name of names) {
      const fn = variants[name]!;
      const until0 = Date.now() + 1000;
      await Promise.all(Array.from({ length: 16 }, async () => { while (Date.now() < until0) await fn(k.adminId); }));
      const pids = processTree(cluster.postmasterPid!);
      const db0 = cpuMsByPid(pids);
      const c0 = process.cpuUsage();
      let n = 0;
      const t0 = Date.now();
      const until = t0 + 5000;
      await Promise.all(Array.from({ length: 16 }, async () => { while (Date.now() < until) { const r = await fn(k.adminId); if (!r) throw new Error('no row'); n++; } }));
      const c = process.cpuUsage(c0);
      const dbMs = cpuMsBetween(db0, cpuMsByPid(processTree(cluster.postmasterPid!)));
      (res[name] ??= []).push([n / ((Date.now() - t0) / 1000), (c.user + c.system) / n, (dbMs * 1000) / n]);
      console.log(name, Math.round(n / 5), 'tx/s node', Math.round((c.user + c.system) / n), 'µs pg', Math.round((dbMs * 1000) / n), 'µs');
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  for (const [name, rows] of Object.entries(res)) console.log(name.padEnd(10), 'tx/s', Math.round(med(rows.map((r) => r[0]!))), 'node µs', Math.round(med(rows.map((r) => r[1]!))), 'pg µs', Math.round(med(rows.map((r) => r[2]!))));
  await Promise.all([plain.end(), piped.end(), owner.end()]);
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(0);
