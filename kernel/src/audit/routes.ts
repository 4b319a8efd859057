// /api/v1/audit: the admin listing and verification status, checkpoints, proofs for auditors, and
// the public keys that checkpoints are signed with.
import { badRequest, defineRoute, notFound, Problem } from '../http/index.js';
import type { Sql } from '../tenancy/index.js';
import type { AuditLog } from './audit-log.js';
import { parseCheckpoint } from './checkpoint.js';
import { ENTRY_COLUMNS, type EntryRow, entryFromRow } from './entry.js';
import { b64 } from './hashing.js';
import { consistencyProof, inclusionProof, subtreeRoot } from './merkle.js';
import { NoteFormatError, verifiedSigners } from './note.js';
import * as s from './schemas.js';
import { leafHashes, sealedHead } from './store.js';

interface AuditCradle {
  audit: AuditLog;
}

const range = (field: string, message: string) => badRequest('ERP_AUDIT_RANGE', field, message);

async function checkpointAt(sql: Sql, size: number): Promise<string | null> {
  const row = await sql.one<{ note: string }>(
    'select note from erp.audit_checkpoints where tenant_id = $1 and size = $2',
    [sql.tenantId, size],
  );
  return row?.note ?? null;
}

/** Leaf hashes of the first `size` entries; a chain with holes cannot give proofs. */
async function leavesOf(sql: Sql, size: number): Promise<Buffer[]> {
  const leaves = await leafHashes(sql, size);
  if (leaves.length !== size)
    throw new Problem(409, 'ERP_AUDIT_CHAIN_BROKEN', 'Audit chain incomplete', {
      detail: `Entries are missing below seq ${size}; verify the chain (GET /api/v1/audit/status).`,
    });
  return leaves;
}

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/entries',
    access: { permission: 'audit.entries.read' },
    summary: 'List audit entries, newest first, filtered by actor, action, resource and time',
    tags: ['audit'],
    query: s.entryQuery,
    response: s.entryList,
    handler: async ({ sql, query }) => {
      if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to))
        throw range('/querystring/to', 'must not be before from');
      const params: unknown[] = [sql.tenantId];
      const where = ['tenant_id = $1'];
      const add = (cond: (p: string) => string, value: unknown) => {
        params.push(value);
        where.push(cond(`$${params.length}`));
      };
      if (query.beforeSeq) add((p) => `seq < ${p}`, query.beforeSeq);
      if (query.actor) add((p) => `actor_id = ${p}`, query.actor);
      if (query.actorType) add((p) => `actor_type = ${p}`, query.actorType);
      if (query.action?.endsWith('.*')) add((p) => `action like ${p}`, `${query.action.slice(0, -1)}%`);
      else if (query.action) add((p) => `action = ${p}`, query.action);
      if (query.resourceType) add((p) => `resource_type = ${p}`, query.resourceType);
      if (query.resourceId) add((p) => `resource_id = ${p}`, query.resourceId);
      if (query.from) add((p) => `occurred_at >= ${p}`, query.from);
      if (query.to) add((p) => `occurred_at < ${p}`, query.to);
      params.push(query.limit + 1);
      const rows = await sql.query<EntryRow>(
        `select ${ENTRY_COLUMNS} from erp.audit_entries where ${where.join(' and ')}
          order by seq desc limit $${params.length}`,
        params,
      );
      const items = rows.slice(0, query.limit).map(entryFromRow);
      return { items, nextBeforeSeq: rows.length > query.limit ? items.at(-1)!.seq : null };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/entries/:seq',
    access: { permission: 'audit.entries.read' },
    summary: 'View one audit entry with its hashes',
    tags: ['audit'],
    params: s.seqParams,
    response: s.entry,
    handler: async ({ sql, params }) => {
      const row = await sql.one<EntryRow>(
        `select ${ENTRY_COLUMNS} from erp.audit_entries where tenant_id = $1 and seq = $2`,
        [sql.tenantId, params.seq],
      );
      if (!row) throw notFound('Audit entry');
      return entryFromRow(row);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/status',
    access: { permission: 'audit.chain.verify' },
    summary:
      'Verify the tenant\u2019s chain, checkpoints and external checkpoint now; names the first bad seq',
    tags: ['audit'],
    response: s.status,
    handler: async ({ sql, scope }) => (scope.cradle as AuditCradle).audit.verify(sql.tenantId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/checkpoints',
    access: { permission: 'audit.proofs.read' },
    summary: 'List signed checkpoints, newest first',
    tags: ['audit'],
    query: s.checkpointQuery,
    response: s.checkpointList,
    handler: async ({ sql, query }) => {
      const rows = await sql.query<{
        size: string;
        root: Buffer;
        head_hash: Buffer;
        key_id: string;
        created_at: Date;
        note: string;
      }>(
        `select size, root, head_hash, key_id, created_at, note from erp.audit_checkpoints
          where tenant_id = $1 and ($2::bigint is null or size < $2) order by size desc limit $3`,
        [sql.tenantId, query.beforeSize ?? null, query.limit + 1],
      );
      const items = rows.slice(0, query.limit).map((r) => ({
        size: Number(r.size),
        root: b64(r.root),
        headHash: b64(r.head_hash),
        keyId: r.key_id,
        createdAt: r.created_at.toISOString(),
        note: r.note,
      }));
      return { items, nextBeforeSize: rows.length > query.limit ? items.at(-1)!.size : null };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/audit/checkpoints/verify',
    access: { permission: 'audit.proofs.read' },
    summary:
      'Check a checkpoint an auditor kept: trusted signature, this tenant, and the log still has that root',
    tags: ['audit'],
    body: s.checkpointVerifyBody,
    response: s.checkpointVerifyResult,
    handler: async ({ sql, body, scope }) => {
      let cp: ReturnType<typeof parseCheckpoint>;
      try {
        cp = parseCheckpoint(body.checkpoint);
      } catch (err) {
        if (!(err instanceof NoteFormatError)) throw err;
        throw badRequest('ERP_AUDIT_CHECKPOINT_MALFORMED', '/body/checkpoint', err.message);
      }
      if (cp.tenantId !== sql.tenantId)
        throw badRequest(
          'ERP_AUDIT_CHECKPOINT_TENANT',
          '/body/checkpoint',
          'is a checkpoint of another tenant',
        );
      const signer = verifiedSigners(cp.note, (scope.cradle as AuditCradle).audit.keys.trusted)[0];
      const result = {
        size: cp.size,
        signedBy: signer?.keyId ?? null,
        matchesLog: false,
        reason: null as string | null,
      };
      const head = await sealedHead(sql);
      if (!signer) result.reason = 'no valid signature by a trusted key';
      else if (cp.size > head.seq) result.reason = `the log has only ${head.seq} sealed entries`;
      else {
        const leaves = await leavesOf(sql, cp.size);
        result.matchesLog = subtreeRoot(leaves, 0, cp.size).equals(cp.root);
        if (!result.matchesLog) result.reason = 'the log has a different root at that size';
      }
      return { valid: Boolean(signer) && result.matchesLog, ...result };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/proofs/inclusion',
    access: { permission: 'audit.proofs.read' },
    summary: 'Inclusion proof of an entry in the tree of a given size (RFC 9162 audit path)',
    tags: ['audit'],
    query: s.inclusionQuery,
    response: s.inclusionProof,
    handler: async ({ sql, query }) => {
      const head = await sealedHead(sql);
      const treeSize = query.treeSize ?? (head.checkpointSize || head.seq);
      if (treeSize > head.seq)
        throw range('/querystring/treeSize', `exceeds the log size (${head.seq} sealed entries)`);
      if (query.seq > treeSize) throw range('/querystring/seq', `must be at most the tree size ${treeSize}`);
      const leaves = await leavesOf(sql, treeSize);
      const entry = await sql.one<{ hash: Buffer }>(
        'select hash from erp.audit_entries where tenant_id = $1 and seq = $2',
        [sql.tenantId, query.seq],
      );
      return {
        seq: query.seq,
        leafIndex: query.seq - 1,
        treeSize,
        entryHash: b64(entry!.hash),
        leafHash: b64(leaves[query.seq - 1]!),
        auditPath: inclusionProof(leaves, query.seq - 1, treeSize).map(b64),
        root: b64(subtreeRoot(leaves, 0, treeSize)),
        checkpoint: await checkpointAt(sql, treeSize),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/proofs/consistency',
    access: { permission: 'audit.proofs.read' },
    summary: 'Consistency proof between the trees of two sizes (RFC 9162): the later extends the earlier',
    tags: ['audit'],
    query: s.consistencyQuery,
    response: s.consistencyProof,
    handler: async ({ sql, query }) => {
      if (query.from > query.to) throw range('/querystring/from', 'must not be larger than to');
      const head = await sealedHead(sql);
      if (query.to > head.seq)
        throw range('/querystring/to', `exceeds the log size (${head.seq} sealed entries)`);
      const leaves = await leavesOf(sql, query.to);
      return {
        from: query.from,
        to: query.to,
        proof: consistencyProof(leaves, query.from, query.to).map(b64),
        fromRoot: b64(subtreeRoot(leaves, 0, query.from)),
        toRoot: b64(subtreeRoot(leaves, 0, query.to)),
        fromCheckpoint: await checkpointAt(sql, query.from),
        toCheckpoint: await checkpointAt(sql, query.to),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/keys',
    access: 'public',
    summary: 'Public keys that audit checkpoints are signed with (signed-note verifier keys and PEM)',
    tags: ['audit'],
    response: s.keyList,
    handler: async ({ scope }) => {
      const { keys } = (scope.cradle as AuditCradle).audit;
      return {
        items: keys.trusted.map((k) => ({
          name: k.name,
          keyId: k.keyId,
          vkey: k.vkey,
          publicKeyPem: k.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          current: k.keyId === keys.signer?.keyId && k.name === keys.signer?.name,
        })),
      };
    },
  }),
];
