// What one audit entry is: who did what to which resource, when, from where, and what changed.
// The same shape is hashed into the chain, exported and verified offline, so every field that is
// stored is also covered by the entry's hash.
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const ACTOR_TYPES = ['user', 'apiKey', 'plugin', 'system', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface AuditActor {
  type: ActorType;
  /** User id, API key id, plugin name or system component; null for an anonymous caller. */
  id: string | null;
  /** The user behind an API key or a plugin call, when there is one. */
  userId?: string | null;
}

/** What a caller hands to AuditLog.record; the tenant comes from the unit of work. */
export interface AuditRecordInput {
  actor: AuditActor;
  /** Dotted verb, e.g. iam.user.created. */
  action: string;
  resource: { type: string; id?: string | null };
  /** before/after of a change, or the payload of an action. Never secrets. */
  change?: JsonValue;
  requestId?: string | null;
  clientIp?: string | null;
}

/** A sealed entry of a tenant's chain. Hashes are base64 (as in RFC 9162 and signed notes). */
export interface AuditEntry {
  tenantId: string;
  seq: number;
  /** ISO 8601 UTC with milliseconds, as stored. */
  occurredAt: string;
  actor: { type: ActorType; id: string | null; userId: string | null };
  action: string;
  resource: { type: string; id: string | null };
  requestId: string | null;
  clientIp: string | null;
  change: JsonValue;
  prevHash: string;
  hash: string;
}

/** An entry as the verifier reads it: hashes as bytes. */
export type SealedEntry = Omit<AuditEntry, 'prevHash' | 'hash'> & {
  prevHash: Buffer;
  hash: Buffer;
  /** The stored canonical text of `change`, when read from the database (hashed as it is). */
  changeText?: string | null;
};

/** The object whose RFC 8785 encoding is hashed: the entry without its own hash and link. */
export function entryBody(e: Omit<AuditEntry, 'hash' | 'prevHash'>): JsonValue {
  return {
    v: 1,
    tenantId: e.tenantId,
    seq: e.seq,
    occurredAt: e.occurredAt,
    actor: { type: e.actor.type, id: e.actor.id ?? null, userId: e.actor.userId ?? null },
    action: e.action,
    resource: { type: e.resource.type, id: e.resource.id ?? null },
    requestId: e.requestId ?? null,
    clientIp: e.clientIp ?? null,
    change: e.change ?? null,
  };
}

/** A row of erp.audit_entries (or of the pending queue, without seq and hashes) as an entry. */
export interface EntryRow {
  tenant_id: string;
  seq?: string | number;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  actor_user_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  client_ip: string | null;
  change?: JsonValue | null;
  /** The stored canonical text of `change` (a json column keeps it byte for byte). */
  change_text?: string | null;
  prev_hash?: Buffer;
  hash?: Buffer;
}

export function entryFromRow(r: EntryRow): AuditEntry {
  return {
    tenantId: r.tenant_id,
    seq: Number(r.seq),
    occurredAt: r.occurred_at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, userId: r.actor_user_id },
    action: r.action,
    resource: { type: r.resource_type, id: r.resource_id },
    requestId: r.request_id,
    clientIp: r.client_ip,
    change: r.change !== undefined ? (r.change ?? null) : r.change_text ? JSON.parse(r.change_text) : null,
    prevHash: r.prev_hash ? r.prev_hash.toString('base64') : '',
    hash: r.hash ? r.hash.toString('base64') : '',
  };
}

export const ENTRY_COLUMNS = `tenant_id, seq, occurred_at, actor_type, actor_id, actor_user_id, action,
  resource_type, resource_id, request_id, client_ip, change, prev_hash, hash`;
/** The same, with `change` as its stored text (the verifier hashes it as it is, parsing nothing). */
export const ENTRY_COLUMNS_RAW = `tenant_id, seq, occurred_at, actor_type, actor_id, actor_user_id, action,
  resource_type, resource_id, request_id, client_ip, change::text as change_text, prev_hash, hash`;
