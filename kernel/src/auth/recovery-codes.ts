// MFA recovery codes: ten random codes shown once when MFA is confirmed (or regenerated), stored as
// SHA-256 (80 random bits each, so no slow hash is needed), each usable once in place of a TOTP code.
import { randomInt } from 'node:crypto';
import type { Sql } from '../tenancy/index.js';
import { hashSecret } from './opaque-token.js';

export const RECOVERY_CODE_COUNT = 10;
// Crockford-style alphabet without look-alikes (no i, l, o, u).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const RECOVERY_CODE_PATTERN = '^[0-9A-Za-z]{4}(-?[0-9A-Za-z]{4}){3}$';

const normalise = (code: string) => code.toLowerCase().replace(/-/g, '');

function newCode(): string {
  let raw = '';
  for (let i = 0; i < 16; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return raw.match(/.{4}/g)!.join('-');
}

export class RecoveryCodes {
  /** Replaces the user's codes with new ones; the plain codes are returned once and never stored. */
  async regenerate(sql: Sql, userId: string): Promise<string[]> {
    await this.clear(sql, userId);
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
    await sql.query(
      `insert into erp.mfa_recovery_codes (tenant_id, user_id, code_hash)
       select $1, $2, h from unnest($3::bytea[]) as h`,
      [sql.tenantId, userId, codes.map((c) => hashSecret(normalise(c)))],
    );
    return codes;
  }

  /** Spends a code; false when it is wrong or already used. */
  async use(sql: Sql, userId: string, code: string): Promise<boolean> {
    const row = await sql.one(
      `update erp.mfa_recovery_codes set used_at = now()
        where tenant_id = $1 and user_id = $2 and code_hash = $3 and used_at is null returning id`,
      [sql.tenantId, userId, hashSecret(normalise(code))],
    );
    return row !== undefined;
  }

  async remaining(sql: Sql, userId: string): Promise<number> {
    const row = await sql.one<{ n: number }>(
      'select count(*)::int as n from erp.mfa_recovery_codes where tenant_id = $1 and user_id = $2 and used_at is null',
      [sql.tenantId, userId],
    );
    return row?.n ?? 0;
  }

  async clear(sql: Sql, userId: string): Promise<void> {
    await sql.query('delete from erp.mfa_recovery_codes where tenant_id = $1 and user_id = $2', [
      sql.tenantId,
      userId,
    ]);
  }
}
