// TOTP second factor (RFC 6238, 30 s steps, ±1 step of clock drift). The seed is sealed with a key
// the database never sees, and each accepted step is remembered so a code cannot be replayed.
import { generateSecret, generateURI, verify } from 'otplib';
import type { Sql } from '../tenancy/index.js';
import type { SecretBox } from './secret-box.js';

const PERIOD = 30;

export class Totp {
  constructor(
    private readonly box: SecretBox,
    private readonly issuer = 'ERP',
  ) {}

  private context(tenantId: string, userId: string): string {
    return `totp:${tenantId}:${userId}`;
  }

  /** Starts (or restarts) enrolment; the factor is active only after confirm(). */
  async enroll(sql: Sql, userId: string, label: string): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = generateSecret({ length: 20 });
    await sql.query(
      `update erp.users set totp_secret_enc = $3, totp_enabled = false, totp_last_step = null, updated_at = now()
        where tenant_id = $1 and id = $2`,
      [sql.tenantId, userId, this.box.seal(secret, this.context(sql.tenantId, userId))],
    );
    return { secret, otpauthUrl: generateURI({ issuer: this.issuer, label, secret, period: PERIOD }) };
  }

  /**
   * Checks a code against the user's seed and consumes its time step.
   * Returns false for a wrong, stale or replayed code.
   */
  async check(sql: Sql, userId: string, code: string): Promise<boolean> {
    const row = await sql.one<{ totp_secret_enc: string | null; totp_last_step: string | null }>(
      'select totp_secret_enc, totp_last_step from erp.users where tenant_id = $1 and id = $2 for update',
      [sql.tenantId, userId],
    );
    if (!row?.totp_secret_enc || !/^[0-9]{6}$/.test(code)) return false;
    const secret = this.box.open(row.totp_secret_enc, this.context(sql.tenantId, userId));
    const now = Math.floor(Date.now() / 1000);
    const result = await verify({ secret, token: code, epoch: now, period: PERIOD, epochTolerance: PERIOD });
    if (!result.valid) return false;
    const step = Math.floor(now / PERIOD) + result.delta;
    if (row.totp_last_step !== null && step <= Number(row.totp_last_step)) return false;
    await sql.query('update erp.users set totp_last_step = $3 where tenant_id = $1 and id = $2', [
      sql.tenantId,
      userId,
      step,
    ]);
    return true;
  }

  /** Re-seals the tenant's TOTP seeds under the current master key; returns how many changed. */
  async reseal(sql: Sql): Promise<number> {
    const rows = await sql.query<{ id: string; totp_secret_enc: string }>(
      'select id, totp_secret_enc from erp.users where tenant_id = $1 and totp_secret_enc is not null for update',
      [sql.tenantId],
    );
    let changed = 0;
    for (const row of rows) {
      if (this.box.keyIdOf(row.totp_secret_enc) === this.box.currentId) continue;
      const sealed = this.box.reseal(row.totp_secret_enc, this.context(sql.tenantId, row.id));
      await sql.query('update erp.users set totp_secret_enc = $3 where tenant_id = $1 and id = $2', [
        sql.tenantId,
        row.id,
        sealed,
      ]);
      changed++;
    }
    return changed;
  }

  async setEnabled(sql: Sql, userId: string, enabled: boolean): Promise<void> {
    await sql.query(
      `update erp.users set totp_enabled = $3, updated_at = now(),
              totp_secret_enc = case when $3 then totp_secret_enc else null end
        where tenant_id = $1 and id = $2`,
      [sql.tenantId, userId, enabled],
    );
  }
}
