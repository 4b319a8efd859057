// API keys: a random secret shown once, stored as SHA-256 (a 256-bit secret needs no slow hash),
// scoped to permissions, optionally expiring, rotatable and revocable. Looked-up keys are cached
// and dropped on an apikey.changed signal, so rotation and revocation apply on the next request.
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '../http/problem.js';
import type { Principal } from '../principal/index.js';
import type { KernelSignals } from '../signals/index.js';
import type { Sql, TenantTx } from '../tenancy/index.js';
import { decodeToken, encodeToken, hashSecret, newSecret, secretMatches } from './opaque-token.js';

export const API_KEY_PREFIX = 'erpk_';

interface CachedKey {
  hash: Buffer;
  permissions: string[];
  expiresAt: number | null;
  revoked: boolean;
  createdBy: string | null;
  touchedAt: number;
}

export class ApiKeys {
  private readonly cache = new LRUCache<string, CachedKey>({ max: 20_000, ttl: 10 * 60_000 });

  constructor(
    private readonly tenantTx: TenantTx,
    private readonly signals: KernelSignals,
  ) {
    signals.on((s) => {
      if (s.type === 'reset') this.cache.clear();
      else if (s.type === 'apikey.changed') this.cache.delete(`${s.tenantId}:${s.id}`);
    });
  }

  async create(
    sql: Sql,
    input: { name: string; permissions: string[]; expiresAt: Date | null; createdBy: string | null },
  ): Promise<{ id: string; token: string; hint: string }> {
    const secret = newSecret();
    const row = await sql.one<{ id: string }>(
      `insert into erp.api_keys (tenant_id, name, key_hash, hint, permissions, created_by, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [
        sql.tenantId,
        input.name,
        hashSecret(secret),
        secret.slice(-4),
        input.permissions,
        input.createdBy,
        input.expiresAt,
      ],
    );
    const id = row!.id;
    return {
      id,
      token: encodeToken(API_KEY_PREFIX, { tenantId: sql.tenantId, id, secret }),
      hint: secret.slice(-4),
    };
  }

  /** New secret for the same key id; the old secret stops working at commit. */
  async rotate(sql: Sql, id: string): Promise<{ token: string; hint: string } | null> {
    const secret = newSecret();
    const row = await sql.one<{ id: string }>(
      `update erp.api_keys set key_hash = $3, hint = $4, rotated_at = now()
        where tenant_id = $1 and id = $2 and revoked_at is null returning id`,
      [sql.tenantId, id, hashSecret(secret), secret.slice(-4)],
    );
    if (!row) return null;
    await this.changed(sql, id);
    return {
      token: encodeToken(API_KEY_PREFIX, { tenantId: sql.tenantId, id, secret }),
      hint: secret.slice(-4),
    };
  }

  async revoke(sql: Sql, id: string): Promise<boolean> {
    const row = await sql.one(
      'update erp.api_keys set revoked_at = coalesce(revoked_at, now()) where tenant_id = $1 and id = $2 returning id',
      [sql.tenantId, id],
    );
    if (row) await this.changed(sql, id);
    return Boolean(row);
  }

  private async changed(sql: Sql, id: string): Promise<void> {
    sql.afterCommit(() => this.cache.delete(`${sql.tenantId}:${id}`));
    await this.signals.send(sql, { type: 'apikey.changed', tenantId: sql.tenantId, id });
  }

  async authenticate(token: string): Promise<Principal> {
    const parsed = decodeToken(API_KEY_PREFIX, token);
    if (!parsed) throw unauthenticated('The API key is malformed.', 'ERP_API_KEY_INVALID');
    const key = `${parsed.tenantId}:${parsed.id}`;
    let entry = this.cache.get(key);
    if (!entry) {
      const row = await this.tenantTx.run(parsed.tenantId, (sql) =>
        sql.one<{
          key_hash: Buffer;
          permissions: string[];
          expires_at: Date | null;
          revoked_at: Date | null;
          created_by: string | null;
        }>(
          'select key_hash, permissions, expires_at, revoked_at, created_by from erp.api_keys where tenant_id = $1 and id = $2',
          [sql.tenantId, parsed.id],
        ),
      );
      if (!row) throw unauthenticated('The API key is not valid.', 'ERP_API_KEY_INVALID');
      entry = {
        hash: row.key_hash,
        permissions: row.permissions,
        expiresAt: row.expires_at ? row.expires_at.getTime() : null,
        revoked: row.revoked_at !== null,
        createdBy: row.created_by,
        touchedAt: 0,
      };
      if (this.signals.connected) this.cache.set(key, entry);
    }
    if (!secretMatches(parsed.secret, entry.hash))
      throw unauthenticated('The API key is not valid.', 'ERP_API_KEY_INVALID');
    if (entry.revoked) throw unauthenticated('The API key has been revoked.', 'ERP_API_KEY_REVOKED');
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      throw unauthenticated('The API key has expired.', 'ERP_API_KEY_EXPIRED');
    }
    this.touch(parsed.tenantId, parsed.id, entry);
    return {
      kind: 'apiKey',
      tenantId: parsed.tenantId,
      userId: entry.createdBy,
      apiKeyId: parsed.id,
      sessionId: null,
      scopes: entry.permissions,
    };
  }

  // last_used_at is useful to admins but not worth a write per request: at most one a minute per key.
  private touch(tenantId: string, id: string, entry: CachedKey): void {
    const now = Date.now();
    if (now - entry.touchedAt < 60_000) return;
    entry.touchedAt = now;
    this.tenantTx
      .run(tenantId, (sql) =>
        sql.query('update erp.api_keys set last_used_at = now() where tenant_id = $1 and id = $2', [
          tenantId,
          id,
        ]),
      )
      .catch(() => {});
  }
}
