// Point-in-time recovery as deploy/README.md's runbook describes it, on a PostgreSQL cluster of
// this test's own (the server's binaries, archive_mode on): a base backup, kernel writes on both
// sides of an instant, the WAL archived, then recovery into a fresh folder up to that instant. A
// kernel started on the recovered cluster serves what was written before it and not what came
// after, and every audit chain verifies. Prints the recovery time (RTO of this drill).
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel } from './support/harness.js';
import { pluginFolder, writePluginVersion } from './support/plugins.js';

const run = promisify(execFile);
const clusterKind = inject('clusterKind');
const cluster = inject('clusterUrl');
const major = await (async () => {
  const c = new pg.Client({ connectionString: cluster });
  await c.connect();
  const { rows } = await c.query<{ v: string }>(`select current_setting('server_version_num') as v`);
  await c.end();
  return Math.floor(Number(rows[0]!.v) / 10000);
})();
// The server's own binaries (initdb, pg_ctl, pg_basebackup), where Debian and RHEL put them or in
// ERP_PG_BIN: once, on the server pass.
const bin =
  clusterKind === 'server'
    ? ([process.env.ERP_PG_BIN, `/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`].find(
        (d) => d && existsSync(join(d, 'initdb')),
      ) ?? null)
    : null;
const ready = bin !== null && existsSync(join(bin, 'pg_basebackup')) && existsSync(join(bin, 'initdb'));

// PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
const asRoot = process.getuid?.() === 0;
const pgCmd = (tool: string, args: string[]) =>
  asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin!, tool), ...args]) : run(join(bin!, tool), args);
const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

const folder = pluginFolder();
// Removed even when the suite is skipped (its afterAll would not run).
afterAll(() => folder.cleanup());
writePluginVersion(folder.root, { id: 'pitr', version: '1.0.0' });

describe.skipIf(!ready)(
  'point-in-time recovery (skipped: runs on the server pass, needs its binaries)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'erp-pitr-'));
    const primary = join(root, 'primary');
    const base = join(root, 'base');
    const archive = join(root, 'archive');
    const recovered = join(root, 'recovered');
    const signing = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const kernels: TestKernel[] = [];
    let started: string[] = [];

    afterAll(async () => {
      for (const k of kernels) await k.close().catch(() => {});
      for (const dir of started)
        await pgCmd('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    });

    async function startCluster(dir: string, port: number): Promise<string> {
      await pgCmd('pg_ctl', [
        '-D',
        dir,
        '-w',
        '-t',
        '120',
        '-o',
        `-p ${port} -k ${root}`,
        '-l',
        join(root, `${port}.log`),
        'start',
      ]);
      started.push(dir);
      return `postgres://postgres@127.0.0.1:${port}/erp`;
    }

    it('recovers to an instant between two writes; the kernel serves the first and not the second', {
      timeout: 240_000,
    }, async () => {
      chmodSync(root, 0o755);
      for (const d of [archive]) mkdirSync(d);
      if (asRoot) for (const d of [root, archive]) chownSync(d, 101, 104);
      if (asRoot) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: g } = await run('id', ['-g', 'postgres']);
        for (const d of [root, archive]) chownSync(d, Number(stdout), Number(g));
      }
      await pgCmd('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '--no-sync']);
      writeFileSync(
        join(primary, 'postgresql.auto.conf'),
        [
          `listen_addresses = '127.0.0.1'`,
          'wal_level = replica',
          'archive_mode = on',
          `archive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f'`,
          'fsync = off',
        ].join('\n'),
        { flag: 'a' },
      );
      const port = await freePort();
      const url = await startCluster(primary, port);
      const admin = new pg.Client({ connectionString: url.replace(/\/erp$/, '/postgres') });
      await admin.connect();
      await admin.query('create database erp');
      await admin.end();

      const env = { DATABASE_URL: url, ERP_PLUGIN_PATH: folder.root, ERP_AUDIT_SIGNING_KEY: signing };
      const k = await startTestKernel(env);
      kernels.push(k);
      const t = await createTenant(k);
      const api = (method: 'GET' | 'POST', path: string, payload?: object) =>
        k.app.inject({
          method,
          url: path,
          headers: { authorization: t.auth },
          ...(payload ? { payload } : {}),
        });
      expect((await api('POST', '/api/v1/plugins/installations', { plugin: 'pitr' })).statusCode).toBe(201);

      // The base backup, as the runbook's nightly job takes it.
      await pgCmd('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-D',
        base,
        // The WAL the backup needs comes with it; what follows comes from the archive.
        '-X',
        'stream',
        '--checkpoint=fast',
        '--no-sync',
      ]);

      expect((await api('POST', '/api/v1/p/pitr/items', { name: 'before the target' })).statusCode).toBe(201);
      await k.container.cradle.auditSealer.flush();
      await new Promise((ok) => setTimeout(ok, 1100));
      const { rows } = await k.superuser.query<{ t: string }>(
        `select to_char(now() at time zone 'utc', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' as t`,
      );
      const target = rows[0]!.t;
      await new Promise((ok) => setTimeout(ok, 1100));
      expect((await api('POST', '/api/v1/p/pitr/items', { name: 'after the target' })).statusCode).toBe(201);
      await k.container.cradle.auditSealer.flush();
      // The segment holding both writes goes to the archive (archive_timeout does this in production).
      const { rows: wal } = await k.superuser.query<{ f: string }>(
        'select pg_walfile_name(pg_switch_wal()) as f',
      );
      for (let i = 0; i < 200 && !existsSync(join(archive, wal[0]!.f)); i++)
        await new Promise((ok) => setTimeout(ok, 100));
      expect(existsSync(join(archive, wal[0]!.f))).toBe(true);
      await k.close();
      kernels.pop();
      await pgCmd('pg_ctl', ['-D', primary, '-m', 'fast', 'stop']);
      started = started.filter((d) => d !== primary);

      // Recovery into a fresh folder from the base backup and the archive.
      const began = performance.now();
      await run('cp', ['-a', base, recovered]);
      writeFileSync(join(recovered, 'recovery.signal'), '');
      writeFileSync(
        join(recovered, 'postgresql.auto.conf'),
        [
          '',
          `restore_command = 'cp ${archive}/%f %p'`,
          `recovery_target_time = '${target}'`,
          `recovery_target_action = 'promote'`,
          'archive_mode = off',
        ].join('\n'),
        { flag: 'a' },
      );
      const recoveredUrl = await startCluster(recovered, await freePort());
      const check = new pg.Client({ connectionString: recoveredUrl });
      await check.connect();
      for (let i = 0; i < 300; i++) {
        if (!(await check.query('select pg_is_in_recovery() as r')).rows[0].r) break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      await check.end();
      const rto = (performance.now() - began) / 1000;

      const r = await startTestKernel({ ...env, DATABASE_URL: recoveredUrl });
      kernels.push(r);
      const items = await r.app.inject({
        method: 'GET',
        url: '/api/v1/p/pitr/items',
        headers: { authorization: t.auth },
      });
      expect(items.statusCode, items.body).toBe(200);
      expect(items.json().items.map((i: { name: string }) => i.name)).toEqual(['before the target']);
      const report = await r.container.cradle.audit.verify(t.tenantId);
      expect(report.valid, JSON.stringify(report.problems)).toBe(true);
      console.log(
        `point-in-time recovery drill: recovered to ${target} in ${rto.toFixed(1)} s (copy + WAL replay + promote)`,
      );
    });
  },
);
