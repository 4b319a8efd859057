// Step-up: a signed-in user proves again who they are (the password, and a second factor where
// asked) before changing a credential, so a stolen access token alone cannot take the account.
// Every check counts toward the credential throttle like a sign-in, and every refusal is audited.
import type { FastifyRequest } from 'fastify';
import { type AuditLog, requestAudit } from '../audit/index.js';
import { Problem, unauthenticated } from '../http/problem.js';
import type { Principal } from '../principal/index.js';
import type { Sql } from '../tenancy/index.js';
import { verifyPassword } from './passwords.js';
import type { RecoveryCodes } from './recovery-codes.js';
import { accountKey, type CredentialThrottle, signedInFrom, THROTTLED_CODE } from './throttle.js';
import type { Totp } from './totp.js';

export interface StepUpProof {
  password?: string;
  otp?: string;
  recoveryCode?: string;
}

export interface StepUpUser {
  email: string;
  totpEnabled: boolean;
}

export class StepUp {
  constructor(
    private readonly deps: {
      throttle: CredentialThrottle;
      totp: Totp;
      recoveryCodes: RecoveryCodes;
      audit: AuditLog;
    },
  ) {}

  /**
   * Checks the password (always) and a TOTP or recovery code (when `secondFactor`). A wrong proof
   * answers `refusal(reason)`, committed with its audit entry; a used-up limit answers 429.
   */
  async verify(
    sql: Sql,
    principal: Principal,
    request: FastifyRequest,
    proof: StepUpProof,
    opts: { purpose: string; secondFactor: boolean; refusal: (reason: string) => Problem },
  ): Promise<StepUpUser> {
    const userId = principal.userId!;
    const user = await sql.one<{ email: string; password_hash: string; totp_enabled: boolean }>(
      'select email, password_hash, totp_enabled from erp.users where tenant_id = $1 and id = $2',
      [sql.tenantId, userId],
    );
    if (!user) throw unauthenticated('The account no longer exists.', 'ERP_TOKEN_REVOKED');
    const refused = async (reason: string, problem: Problem) => {
      await this.deps.audit.record(sql, {
        ...requestAudit(request, principal),
        action: 'auth.step-up.failed',
        resource: { type: 'user', id: userId },
        change: { purpose: opts.purpose, reason },
      });
      return new Problem(problem.status, problem.code, problem.title, {
        ...problem.options,
        commitBeforeThrow: true,
      });
    };
    const attempt = await this.deps.throttle
      .begin({
        source: request.ip,
        account: accountKey(sql.tenantId, user.email),
        knownSource: () => signedInFrom(sql, userId, request.ip),
      })
      .catch(async (err: unknown) => {
        if (err instanceof Problem && err.code === THROTTLED_CODE) throw await refused('throttled', err);
        throw err;
      });
    let reason: string | null = null;
    if (proof.password === undefined || !(await verifyPassword(user.password_hash, proof.password))) {
      reason = 'wrong-password';
    } else if (opts.secondFactor) {
      const ok = proof.otp
        ? await this.deps.totp.check(sql, userId, proof.otp)
        : proof.recoveryCode
          ? await this.deps.recoveryCodes.use(sql, userId, proof.recoveryCode)
          : false;
      if (!ok) reason = 'wrong-second-factor';
    }
    if (reason) throw await refused(reason, opts.refusal(reason));
    await attempt.succeeded();
    return { email: user.email, totpEnabled: user.totp_enabled };
  }
}
