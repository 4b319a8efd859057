// Appending to the audit log inside a unit of work: one INSERT into the pending queue, no lock, no
// read, so a request pays about what any other insert costs. The sealer chains the row after the
// transaction commits; if it rolls back, the entry was never there, like the change it describes.
import { ACTOR_TYPES, type AuditRecordInput, type JsonValue } from './entry.js';
import { canonicalJson } from './hashing.js';

/** The part of a unit of work the audit log needs (TenantTx's Sql, or an owner transaction). */
export interface AuditSql {
  readonly tenantId: string;
  query(text: string, params?: readonly unknown[]): Promise<unknown[]>;
  afterCommit?(fn: () => void): void;
}

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const RESOURCE_TYPE = /^[a-zA-Z][a-zA-Z0-9._-]*$/;
const MAX_CHANGE_BYTES = 64 * 1024;
// Defence in depth: callers must not pass secrets, and if one does, its value is not recorded.
const SECRET_KEY = /(password|secret|token|^otp$|otpauth|totp|seed|hash$|_hash|private_?key|credential)/i;

/** A copy of the value with secret-looking fields replaced by "[redacted]". */
export function scrubSecrets(value: unknown, depth = 0): JsonValue {
  if (depth > 20) return '[too deep]';
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : scrubSecrets(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

const text = (v: string | null | undefined, max: number) => (v == null ? null : String(v).slice(0, max));

export class AuditInputError extends TypeError {
  override name = 'AuditInputError';
}

function check(input: AuditRecordInput): void {
  if (!ACTOR_TYPES.includes(input.actor?.type))
    throw new AuditInputError(`audit: actor.type must be one of ${ACTOR_TYPES.join(', ')}`);
  if (typeof input.action !== 'string' || !ACTION.test(input.action) || input.action.length > 200)
    throw new AuditInputError(`audit: action ${JSON.stringify(input.action)} is not a dotted lowercase verb`);
  if (typeof input.resource?.type !== 'string' || !RESOURCE_TYPE.test(input.resource.type))
    throw new AuditInputError(`audit: resource.type ${JSON.stringify(input.resource?.type)} is invalid`);
}

/**
 * Records one entry in the caller's unit of work (same transaction, same commit). Plugins reach
 * this through ctx.audit.record, with the actor and request filled in by the host.
 */
export async function recordAudit(
  sql: AuditSql,
  input: AuditRecordInput,
  onCommit?: (tenantId: string) => void,
): Promise<void> {
  check(input);
  const change = input.change === undefined ? null : scrubSecrets(input.change);
  // Stored as its RFC 8785 text in a json column (kept byte for byte), so sealing and verifying
  // hash it as it is and never re-encode it.
  const json = change === null ? null : canonicalJson(change);
  if (json && Buffer.byteLength(json) > MAX_CHANGE_BYTES)
    throw new AuditInputError(`audit: change is larger than ${MAX_CHANGE_BYTES} bytes`);
  await sql.query(
    `insert into erp.audit_pending (tenant_id, actor_type, actor_id, actor_user_id, action, resource_type,
                                    resource_id, request_id, client_ip, change)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      sql.tenantId,
      input.actor.type,
      text(input.actor.id, 200),
      text(input.actor.userId, 200),
      input.action,
      input.resource.type,
      text(input.resource.id, 200),
      text(input.requestId, 200),
      text(input.clientIp, 100),
      json,
    ],
  );
  if (onCommit && sql.afterCommit) {
    const tenantId = sql.tenantId;
    sql.afterCommit(() => onCommit(tenantId));
  }
}
