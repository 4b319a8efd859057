// Password reset by the user through a one-time link. The request always gets the same answer,
// whether or not the account exists, and the mail goes out after the answer (no timing tell); the
// link's secret is stored as SHA-256, works once, expires, and is refused once another reset
// succeeded. Setting the new password revokes every session of the user.
import type { AuditLog } from '../audit/index.js';
import { Problem } from '../http/problem.js';
import type { MailTransport } from '../mail/index.js';
import type { Tenants, TenantTx } from '../tenancy/index.js';
import { decodeToken, encodeToken, hashSecret, newSecret, secretMatches } from './opaque-token.js';
import { hashPassword, passwordWeakness } from './passwords.js';
import type { Sessions } from './sessions.js';
import { accountKey, type CredentialThrottle } from './throttle.js';

const PREFIX = 'erpw_';

export interface ResetMeta {
  ip: string;
  requestId?: string;
}

const invalidToken = () =>
  new Problem(400, 'ERP_RESET_TOKEN_INVALID', 'Reset link invalid', {
    detail: 'The reset link is wrong, expired or already used; ask for a new one.',
    errors: [{ field: '/body/token', message: 'is wrong, expired or already used' }],
  });

export class PasswordResets {
  constructor(
    private readonly deps: {
      tenants: Tenants;
      tenantTx: TenantTx;
      sessions: Sessions;
      throttle: CredentialThrottle;
      audit: AuditLog;
      mail: MailTransport;
      publicUrl: string;
      ttlSeconds: number;
      onMailError: (err: unknown) => void;
    },
  ) {}

  /** Always resolves: the caller answers 202 whatever happened. */
  async request(input: { tenant: string; email: string }, meta: ResetMeta): Promise<void> {
    const { tenants, tenantTx, throttle, audit } = this.deps;
    const email = input.email.toLowerCase().slice(0, 254);
    const tenant = await tenants.bySlug(input.tenant);
    if (tenant?.status !== 'active') return;
    await tenantTx.run(tenant.id, async (sql) => {
      const user = await sql.one<{ id: string; status: string }>(
        'select id, status from erp.users where tenant_id = $1 and email = $2',
        [sql.tenantId, email],
      );
      const record = (reason: string | null) =>
        audit.record(sql, {
          actor: { type: 'anonymous', id: null },
          action: reason ? 'auth.password-reset.refused' : 'auth.password-reset.requested',
          resource: { type: 'user', id: user?.id ?? null },
          change: reason ? { email, reason } : { email },
          requestId: meta.requestId ?? null,
          clientIp: meta.ip,
        });
      if (user?.status !== 'active') return record(user ? 'account-disabled' : 'unknown-user');
      if (!(await throttle.allowResetMail(accountKey(sql.tenantId, email)))) return record('throttled');
      const secret = newSecret();
      const row = await sql.one<{ id: string }>(
        `insert into erp.password_resets (tenant_id, user_id, token_hash, requested_ip, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(secs => $5)) returning id`,
        [sql.tenantId, user.id, hashSecret(secret), meta.ip, this.deps.ttlSeconds],
      );
      await record(null);
      const token = encodeToken(PREFIX, { tenantId: sql.tenantId, id: row!.id, secret });
      const link = `${this.deps.publicUrl.replace(/\/$/, '')}/reset-password?token=${encodeURIComponent(token)}`;
      const minutes = Math.round(this.deps.ttlSeconds / 60);
      // Sent after the commit and not awaited: the answer takes as long for an unknown account.
      sql.afterCommit(() => {
        this.deps.mail
          .send({
            to: email,
            subject: 'Reset your password',
            text:
              `Someone (hopefully you) asked to reset the password of ${email} on ${input.tenant}.\n\n` +
              `Open this link within ${minutes} minutes to choose a new password:\n${link}\n\n` +
              'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.\n',
          })
          .catch(this.deps.onMailError);
      });
    });
  }

  /** Sets the new password with a reset token; every session of the user ends. */
  async confirm(input: { token: string; newPassword: string }, meta: ResetMeta): Promise<void> {
    const parsed = decodeToken(PREFIX, input.token);
    const attempt = await this.deps.throttle.begin({ source: meta.ip });
    if (!parsed) throw invalidToken();
    await this.deps.tenantTx.run(parsed.tenantId, async (sql) => {
      const row = await sql.one<{
        token_hash: Buffer;
        user_id: string;
        usable: boolean;
        email: string;
        status: string;
      }>(
        `select r.token_hash, r.user_id, (r.used_at is null and r.expires_at > now()) as usable,
                u.email, case when t.status = 'active' then u.status else 'tenant-' || t.status end as status
           from erp.password_resets r
           join erp.users u on u.tenant_id = r.tenant_id and u.id = r.user_id
           join erp.tenants t on t.id = r.tenant_id
          where r.tenant_id = $1 and r.id = $2 for update of r`,
        [sql.tenantId, parsed.id],
      );
      if (!row || !secretMatches(parsed.secret, row.token_hash) || !row.usable || row.status !== 'active') {
        if (row) {
          await this.deps.audit.record(sql, {
            actor: { type: 'anonymous', id: null },
            action: 'auth.password-reset.refused',
            resource: { type: 'user', id: row.user_id },
            change: { reason: row.usable ? 'wrong-secret' : 'used-or-expired' },
            requestId: meta.requestId ?? null,
            clientIp: meta.ip,
          });
        }
        const p = invalidToken();
        throw new Problem(p.status, p.code, p.title, { ...p.options, commitBeforeThrow: true });
      }
      const weak = passwordWeakness(input.newPassword, row.email);
      if (weak) {
        // The link stays usable: the user picks a better password.
        await attempt.neutral();
        throw new Problem(400, 'ERP_PASSWORD_WEAK', 'Password too weak', {
          detail: `newPassword ${weak}`,
          errors: [{ field: '/body/newPassword', message: weak }],
        });
      }
      await attempt.succeeded();
      await sql.query(
        `update erp.users set password_hash = $3, password_changed_at = now(), updated_at = now()
          where tenant_id = $1 and id = $2`,
        [sql.tenantId, row.user_id, await hashPassword(input.newPassword)],
      );
      // This link and every other outstanding one of the user stop working.
      await sql.query(
        'update erp.password_resets set used_at = now() where tenant_id = $1 and user_id = $2 and used_at is null',
        [sql.tenantId, row.user_id],
      );
      await this.deps.sessions.revokeAllOfUser(sql, row.user_id, 'password-reset');
      await this.deps.audit.record(sql, {
        actor: { type: 'anonymous', id: null },
        action: 'auth.password-reset.completed',
        resource: { type: 'user', id: row.user_id },
        change: { sessionsRevoked: true },
        requestId: meta.requestId ?? null,
        clientIp: meta.ip,
      });
      await this.deps.throttle.clearAccount(accountKey(sql.tenantId, row.email), sql);
    });
  }
}
