// Secrets at rest (issue 20): secrets.json is 0600 whatever it was before, and the master key is
// versioned: `erp secrets rotate` adds a key and re-seals every TOTP seed under it, sealed values
// name their key, values sealed before rotation (and before key ids existed) still open, and TOTP
// sign-in keeps working across the rotation.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { rotateMasterKey } from '../src/auth/index.js';
import { keyId, loadConfig, loadOrCreateSecrets } from '../src/config/index.js';
import { openDatabase } from '../src/db/index.js';
import { call, createUser, expectProblem, login, USER_PASSWORD } from './support/api.js';
import {
  createTenant,
  createTestDatabase,
  dropTestDatabase,
  startTestKernel,
  TEST_SECRET_KEY,
} from './support/harness.js';

const PERIOD = 30;

describe('secrets at rest', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'erp-secrets-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('secrets.json is written 0600, and an existing 0644 file is put back to 0600', () => {
    const fresh = tmp();
    loadOrCreateSecrets(fresh);
    expect(statSync(join(fresh, 'secrets.json')).mode & 0o777).toBe(0o600);

    const old = tmp();
    const file = join(old, 'secrets.json');
    writeFileSync(file, JSON.stringify({ master: 'm'.repeat(43), embeddedDbPassword: 'p'.repeat(32) }));
    chmodSync(file, 0o644);
    const secrets = loadOrCreateSecrets(old);
    expect(secrets.master).toBe('m'.repeat(43));
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // A file missing a field is rewritten, also 0600.
    writeFileSync(file, JSON.stringify({ master: 'm'.repeat(43) }));
    chmodSync(file, 0o644);
    loadOrCreateSecrets(old);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotation re-seals every TOTP seed under the new key id; TOTP sign-in still works', async () => {
    const dataDir = tmp();
    const databaseUrl = await createTestDatabase();
    const env = { ERP_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
    const k1 = await startTestKernel(env);
    let k2: Awaited<ReturnType<typeof startTestKernel>> | undefined;
    try {
      const t = await createTenant(k1);
      const oldId = keyId(TEST_SECRET_KEY);
      // Two users with MFA; the second one's seed is turned into the format from before key ids.
      const users = [await createUser(k1, t), await createUser(k1, t)];
      const secrets: string[] = [];
      for (const u of users) {
        const tokens = (await login(k1, t.slug, u.email)).json();
        const auth = `Bearer ${tokens.accessToken}`;
        const enrol = await call(k1, 'POST', '/api/v1/auth/mfa/enroll', {
          auth,
          body: { password: USER_PASSWORD },
        });
        const secret = enrol.json().secret;
        secrets.push(secret);
        const confirm = await call(k1, 'POST', '/api/v1/auth/mfa/confirm', {
          auth,
          body: { otp: await generate({ secret }) },
        });
        expect(confirm.statusCode, confirm.body).toBe(200);
      }
      const sealed = async () =>
        (
          await k1.superuser.query<{ id: string; totp_secret_enc: string }>(
            'select id, totp_secret_enc from erp.users where id = any($1) order by email',
            [users.map((u) => u.id)],
          )
        ).rows;
      for (const row of await sealed()) expect(row.totp_secret_enc.startsWith(`v2.${oldId}.`)).toBe(true);
      const v2 = (await sealed()).find((r) => r.id === users[1]!.id)!.totp_secret_enc;
      const v1 = `v1.${v2.split('.').slice(2).join('.')}`;
      await k1.superuser.query('update erp.users set totp_secret_enc = $2 where id = $1', [users[1]!.id, v1]);
      const before = (await login(k1, t.slug, users[0]!.email)).statusCode;
      expect(before).toBe(401); // MFA required: the setup is sound
      const adminRefresh = t.refreshToken;
      await k1.close();

      const config = loadConfig({ LOG_LEVEL: 'silent', ERP_SECRET_KEY: TEST_SECRET_KEY, ...env });
      const r = await rotateMasterKey(dataDir, TEST_SECRET_KEY, (s) => openDatabase(config, s));
      expect(r.keyId).not.toBe(oldId);
      expect(r.resealed).toBe(2);
      const file = join(dataDir, 'secrets.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8')).rotatedKeys).toHaveLength(1);

      k2 = await startTestKernel(env);
      const after = await k2.superuser.query<{ totp_secret_enc: string }>(
        'select totp_secret_enc from erp.users where id = any($1)',
        [users.map((u) => u.id)],
      );
      for (const row of after.rows) expect(row.totp_secret_enc.startsWith(`v2.${r.keyId}.`)).toBe(true);
      // Both users sign in with their authenticator, as before the rotation.
      for (const [i, u] of users.entries()) {
        // The next step's code: later than the step spent at confirmation, within the drift allowed.
        const otp = await generate({ secret: secrets[i]!, epoch: Math.floor(Date.now() / 1000) + PERIOD });
        const res = await login(k2, t.slug, u.email, USER_PASSWORD, otp);
        expect(res.statusCode, res.body).toBe(200);
      }
      // Access tokens are signed with the current key: old ones lapse, the refresh token still works.
      expectProblem(await call(k2, 'GET', '/api/v1/auth/me', { auth: t.auth }), 401, 'ERP_TOKEN_INVALID');
      const refreshed = await call(k2, 'POST', '/api/v1/auth/refresh', {
        body: { refreshToken: adminRefresh },
      });
      expect(refreshed.statusCode, refreshed.body).toBe(200);

      // Rotating again with nothing left under the old key re-seals nothing twice.
      await k2.close();
      k2 = undefined;
      const again = await rotateMasterKey(dataDir, TEST_SECRET_KEY, (s) => openDatabase(config, s));
      expect(again.resealed).toBe(2);
      expect(loadOrCreateSecrets(dataDir, TEST_SECRET_KEY).keys.map((k) => k.id)).toEqual([
        oldId,
        r.keyId,
        again.keyId,
      ]);
    } finally {
      await k2?.close();
      await dropTestDatabase(databaseUrl);
    }
  });
});
