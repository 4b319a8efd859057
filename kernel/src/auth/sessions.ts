// Sessions (refresh-token families). Whether a session is still valid is asked on every request
// that carries an access token, so answers are cached and dropped on a session.revoked signal.
import { LRUCache } from 'lru-cache';
import type { KernelSignals } from '../signals/index.js';
import type { Sql, TenantTx } from '../tenancy/index.js';

export class Sessions {
  private readonly active = new LRUCache<string, boolean>({ max: 100_000, ttl: 10 * 60_000 });

  constructor(
    private readonly tenantTx: TenantTx,
    private readonly signals: KernelSignals,
  ) {
    signals.on((s) => {
      if (s.type === 'reset') this.active.clear();
      else if (s.type === 'session.revoked') this.active.delete(`${s.tenantId}:${s.id}`);
    });
  }

  async isActive(tenantId: string, sessionId: string): Promise<boolean> {
    const key = `${tenantId}:${sessionId}`;
    const cached = this.active.get(key);
    if (cached !== undefined) return cached;
    const row = await this.tenantTx.run(tenantId, (sql) =>
      sql.one<{ ok: boolean }>(
        `select (s.revoked_at is null and s.expires_at > now() and u.status = 'active') as ok
           from erp.sessions s join erp.users u on u.tenant_id = s.tenant_id and u.id = s.user_id
          where s.tenant_id = $1 and s.id = $2`,
        [tenantId, sessionId],
      ),
    );
    // A revocation committed while this read was in flight has already cached false: keep it.
    if (this.active.get(key) === false) return false;
    const ok = row?.ok === true;
    // Only the signal listener's health lets us trust a cached "active"; a revoked one stays revoked.
    if (this.signals.connected || !ok) this.active.set(key, ok);
    return ok;
  }

  async create(
    sql: Sql,
    userId: string,
    ttlSeconds: number,
    meta: { ip?: string; userAgent?: string },
  ): Promise<string> {
    const row = await sql.one<{ id: string }>(
      `insert into erp.sessions (tenant_id, user_id, expires_at, ip, user_agent)
       values ($1, $2, now() + make_interval(secs => $3), $4, $5) returning id`,
      [sql.tenantId, userId, ttlSeconds, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null],
    );
    return row!.id;
  }

  async revoke(sql: Sql, sessionId: string, reason: string): Promise<void> {
    await sql.query(
      `update erp.sessions set revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, $3)
        where tenant_id = $1 and id = $2`,
      [sql.tenantId, sessionId, reason],
    );
    await this.revoked(sql, sessionId);
  }

  // This instance must not wait for its own NOTIFY (it arrives on another connection, later than
  // the COMMIT's answer): the next request with the session's access token is refused.
  private async revoked(sql: Sql, sessionId: string): Promise<void> {
    const key = `${sql.tenantId}:${sessionId}`;
    sql.afterCommit(() => this.active.set(key, false));
    await this.signals.send(sql, { type: 'session.revoked', tenantId: sql.tenantId, id: sessionId });
  }

  /** Revokes every session of a user (password change, disable, role removal by an admin). */
  async revokeAllOfUser(sql: Sql, userId: string, reason: string, except?: string): Promise<void> {
    const rows = await sql.query<{ id: string }>(
      `update erp.sessions set revoked_at = now(), revoked_reason = $3
        where tenant_id = $1 and user_id = $2 and revoked_at is null and id is distinct from $4 returning id`,
      [sql.tenantId, userId, reason, except ?? null],
    );
    for (const r of rows) await this.revoked(sql, r.id);
  }
}
