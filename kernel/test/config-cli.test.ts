// Configuration is validated at start and a bad variable is named in one line; the real `erp`
// command exits 2 on configuration and usage errors and creates a tenant on a fresh database.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { loginOk } from './support/api.js';
import { createTestDatabase, startTestKernel, TEST_SECRET_KEY } from './support/harness.js';

const KERNEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(join(tmpdir(), 'erp-test-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the real CLI; resolves with its exit code and output (never rejects on a failing exit). */
function erp(args: string[], env: Record<string, string | undefined>) {
  const base: Record<string, string | undefined> = { ...process.env, DATABASE_URL: undefined };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        cwd: KERNEL_DIR,
        env: { ...base, ERP_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env } as NodeJS.ProcessEnv,
        timeout: 100_000, // a guard against a hang, not a performance assertion
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | null; signal?: string | null }) | null;
        if (e && typeof e.code !== 'number') stderr += `\n[killed by ${e.signal ?? 'unknown signal'}]`;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('loadConfig', () => {
  const failure = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error('loadConfig accepted a bad environment');
  };

  it('names the variable that is wrong, in one line', () => {
    for (const [env, variable] of [
      [{ PORT: 'abc' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ DATABASE_URL: 'mysql://root@localhost/erp' }, 'DATABASE_URL'],
      [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
      [{ ERP_SECRET_KEY: 'too-short' }, 'ERP_SECRET_KEY'],
      [{ ERP_CORS_ORIGINS: 'https://ok.example,not an origin' }, 'ERP_CORS_ORIGINS'],
    ] as const) {
      const err = failure(env);
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.variable).toBe(variable);
      expect(err.message).toMatch(new RegExp(`^configuration error: ${variable} `));
      expect(err.message).not.toContain('\n');
    }
  });

  it('refuses a production start without shared secrets, a database or TLS, naming the setting', () => {
    const good = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://erp@db.internal:5432/erp?sslmode=verify-full',
      ERP_SECRET_KEY: 'k'.repeat(40),
      ERP_AUDIT_SIGNING_KEY: 'unused-by-loadConfig',
      NATS_URL: 'tls://nats.internal:4222',
    };
    expect(loadConfig(good).NODE_ENV).toBe('production');
    const { DATABASE_URL: _db, ...noDb } = good;
    const { ERP_SECRET_KEY: _key, ...noKey } = good;
    const { ERP_AUDIT_SIGNING_KEY: _audit, ...noAudit } = good;
    for (const [env, variable, words] of [
      [noDb, 'DATABASE_URL', /required when NODE_ENV=production/],
      [noKey, 'ERP_SECRET_KEY', /required when NODE_ENV=production/],
      [noAudit, 'ERP_AUDIT_SIGNING_KEY', /required when NODE_ENV=production/],
      [{ ...good, DATABASE_URL: 'postgres://erp@db.internal:5432/erp' }, 'DATABASE_URL', /TLS.*no sslmode/],
      [
        { ...good, DATABASE_URL: 'postgres://erp@db.internal/erp?sslmode=prefer' },
        'DATABASE_URL',
        /sslmode=prefer/,
      ],
      [{ ...good, NATS_URL: 'nats://nats.internal:4222' }, 'NATS_URL', /TLS/],
    ] as const) {
      const err = failure(env);
      expect(err.variable).toBe(variable);
      expect(err.message).toMatch(words);
      expect(err.message).not.toContain('\n');
    }
    // Loopback and a socket never leave the machine; development keeps the embedded defaults.
    expect(loadConfig({ ...good, DATABASE_URL: 'postgres://erp@127.0.0.1:5432/erp' }).DATABASE_URL).toContain(
      '127',
    );
    expect(
      loadConfig({ ...good, DATABASE_URL: 'postgres:///erp?host=/var/run/postgresql' }).DATABASE_URL,
    ).toBeTruthy();
    expect(loadConfig({}).NODE_ENV).toBe('development');
  });

  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    expect(c.ERP_DATA_DIR).toMatch(/\.erp-data$/);
    expect(c.DATABASE_URL).toBeUndefined();
  });
});

// Each run starts a fresh Node process with tsx; independent runs overlap to keep the suite quick.
describe.concurrent('erp command', () => {
  it('exits 2 with one line naming a bad variable', { timeout: 120_000 }, async () => {
    const [port, db, prod] = await Promise.all([
      erp(['start'], { PORT: 'abc' }),
      erp(['migrate'], { DATABASE_URL: 'mysql://root@localhost/erp' }),
      erp(['start'], { NODE_ENV: 'production', ERP_SECRET_KEY: undefined }),
    ]);
    expect(prod.code, prod.stderr).toBe(2);
    expect(lines(prod.stderr)).toEqual([
      expect.stringMatching(/^erp: configuration error: DATABASE_URL is required when NODE_ENV=production/),
    ]);
    expect(port.code, port.stderr).toBe(2);
    expect(lines(port.stderr)).toEqual([expect.stringMatching(/^erp: configuration error: PORT /)]);
    expect(db.code, db.stderr).toBe(2);
    expect(lines(db.stderr)).toEqual([expect.stringMatching(/^erp: configuration error: DATABASE_URL /)]);
  });

  it('`erp tenant create` without a required flag exits 2 naming the flag', {
    timeout: 120_000,
  }, async () => {
    const r = await erp(['tenant', 'create', '--slug', 'acme', '--name', 'Acme'], {});
    expect(r.code, r.stderr).toBe(2);
    expect(lines(r.stderr)).toEqual(['erp: --admin-email is required']);
  });

  it('`erp tenant create` creates a tenant and its admin on a fresh database', {
    timeout: 150_000,
  }, async () => {
    const url = await createTestDatabase();
    const password = 'Cli-Created-Staple-57';
    const args = [
      'tenant',
      'create',
      '--slug',
      'cli-acme',
      '--name',
      'CLI Acme',
      '--admin-email',
      'Boss@Acme.test',
    ];
    const env = { DATABASE_URL: url, ERP_SECRET_KEY: TEST_SECRET_KEY };
    const r = await erp([...args, '--admin-password', password], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tenant cli-acme created \(id [0-9a-f-]{36}\); administrator Boss@Acme\.test/);

    const again = await erp([...args, '--admin-password', password], env);
    expect(again.code, again.stderr).toBe(2);
    expect(lines(again.stderr)).toEqual(['erp: --slug cli-acme is already taken']);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const rows = await db.query(
        `select t.slug, t.name, u.email, r.name as role, r.permissions
           from erp.tenants t join erp.users u on u.tenant_id = t.id
           join erp.user_roles ur on ur.tenant_id = u.tenant_id and ur.user_id = u.id
           join erp.roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id`,
      );
      expect(rows.rows).toEqual([
        {
          slug: 'cli-acme',
          name: 'CLI Acme',
          email: 'boss@acme.test',
          role: 'Administrator',
          permissions: ['*'],
        },
      ]);
    } finally {
      await db.end();
    }
    // The administrator can sign in to a kernel on that database.
    const k = await startTestKernel({ DATABASE_URL: url });
    try {
      const tokens = await loginOk(k, 'cli-acme', 'boss@acme.test', password);
      expect(tokens.accessToken).toBeTruthy();
    } finally {
      await k.close();
    }
  });
});
