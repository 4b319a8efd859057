// Schemas of the audit API.
import { schemas } from '../http/index.js';

const b64hash = { type: 'string', description: 'base64 SHA-256' } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const entry = {
  type: 'object',
  required: [
    'seq',
    'occurredAt',
    'actor',
    'action',
    'resource',
    'requestId',
    'clientIp',
    'change',
    'prevHash',
    'hash',
  ],
  properties: {
    tenantId: { type: 'string' },
    seq: { type: 'integer' },
    occurredAt: schemas.dateTime,
    actor: {
      type: 'object',
      required: ['type', 'id', 'userId'],
      properties: { type: { type: 'string' }, id: nullableString, userId: nullableString },
    },
    action: { type: 'string' },
    resource: {
      type: 'object',
      required: ['type', 'id'],
      properties: { type: { type: 'string' }, id: nullableString },
    },
    requestId: nullableString,
    clientIp: nullableString,
    change: { description: 'before/after of the change, or the payload; any JSON' },
    prevHash: b64hash,
    hash: b64hash,
  },
} as const;

export const entryList = {
  type: 'object',
  required: ['items', 'nextBeforeSeq'],
  properties: {
    items: { type: 'array', items: entry },
    nextBeforeSeq: { type: ['integer', 'null'], description: 'Pass as beforeSeq for the next (older) page' },
  },
} as const;

export const entryQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    beforeSeq: {
      type: 'integer',
      minimum: 1,
      description: 'Newest-first paging: only entries with a lower seq',
    },
    actor: { type: 'string', minLength: 1, maxLength: 200, description: 'Actor id (user id, API key id, …)' },
    actorType: { type: 'string', enum: ['user', 'apiKey', 'plugin', 'system', 'anonymous'] },
    action: {
      type: 'string',
      maxLength: 200,
      pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(\\.\\*)?$',
      description: 'Exact action, or a prefix ending in .* (iam.user.*)',
    },
    resourceType: { type: 'string', minLength: 1, maxLength: 100 },
    resourceId: { type: 'string', minLength: 1, maxLength: 200 },
    from: { ...schemas.dateTime, description: 'Entries that occurred at or after this time' },
    to: { ...schemas.dateTime, description: 'Entries that occurred before this time' },
  },
} as const;

export const seqParams = {
  type: 'object',
  additionalProperties: false,
  required: ['seq'],
  properties: { seq: { type: 'integer', minimum: 1 } },
} as const;

const problem = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    seq: { type: 'integer' },
    checkpointSize: { type: 'integer' },
  },
} as const;

export const status = {
  type: 'object',
  required: ['valid', 'entries', 'pending', 'firstBadSeq', 'problems', 'verifiedAt'],
  properties: {
    tenantId: { type: 'string' },
    valid: { type: 'boolean' },
    entries: { type: 'integer' },
    pending: { type: 'integer', description: 'Committed entries not sealed into the chain yet' },
    headHash: nullableString,
    root: { type: 'string' },
    firstBadSeq: { type: ['integer', 'null'] },
    checkpoints: {
      type: 'object',
      properties: { stored: { type: 'integer' }, matching: { type: 'integer' } },
    },
    external: {
      type: ['object', 'null'],
      properties: {
        source: { type: 'string' },
        checkpoints: { type: 'integer' },
        latestSize: { type: 'integer' },
        matches: { type: 'boolean' },
      },
    },
    problems: { type: 'array', items: problem },
    warnings: { type: 'array', items: { type: 'string' } },
    verifiedAt: schemas.dateTime,
  },
} as const;

export const checkpoint = {
  type: 'object',
  required: ['size', 'root', 'headHash', 'keyId', 'createdAt', 'note'],
  properties: {
    size: { type: 'integer' },
    root: b64hash,
    headHash: b64hash,
    keyId: { type: 'string' },
    createdAt: schemas.dateTime,
    note: { type: 'string', description: 'The signed checkpoint (C2SP signed-note text)' },
  },
} as const;

export const checkpointList = {
  type: 'object',
  required: ['items', 'nextBeforeSize'],
  properties: { items: { type: 'array', items: checkpoint }, nextBeforeSize: { type: ['integer', 'null'] } },
} as const;

export const checkpointQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    beforeSize: { type: 'integer', minimum: 1 },
  },
} as const;

export const checkpointVerifyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['checkpoint'],
  properties: { checkpoint: { type: 'string', minLength: 1, maxLength: 100000 } },
} as const;

export const checkpointVerifyResult = {
  type: 'object',
  required: ['valid', 'size', 'signedBy', 'matchesLog', 'reason'],
  properties: {
    valid: { type: 'boolean' },
    size: { type: 'integer' },
    signedBy: { type: ['string', 'null'], description: 'Key id of the trusted key that signed it' },
    matchesLog: { type: 'boolean', description: 'The log of this tenant has that root at that size' },
    reason: nullableString,
  },
} as const;

export const inclusionQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['seq'],
  properties: {
    seq: { type: 'integer', minimum: 1 },
    treeSize: { type: 'integer', minimum: 1, description: 'Default: the latest checkpoint\u2019s size' },
  },
} as const;

export const inclusionProof = {
  type: 'object',
  required: ['seq', 'leafIndex', 'treeSize', 'entryHash', 'leafHash', 'auditPath', 'root', 'checkpoint'],
  properties: {
    seq: { type: 'integer' },
    leafIndex: { type: 'integer', description: 'seq - 1' },
    treeSize: { type: 'integer' },
    entryHash: b64hash,
    leafHash: { type: 'string', description: 'base64 SHA-256(0x00 || entry hash)' },
    auditPath: { type: 'array', items: { type: 'string' } },
    root: b64hash,
    checkpoint: { ...nullableString, description: 'The signed checkpoint of that size, when there is one' },
  },
} as const;

export const consistencyQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } },
} as const;

export const consistencyProof = {
  type: 'object',
  required: ['from', 'to', 'proof', 'fromRoot', 'toRoot', 'fromCheckpoint', 'toCheckpoint'],
  properties: {
    from: { type: 'integer' },
    to: { type: 'integer' },
    proof: { type: 'array', items: { type: 'string' } },
    fromRoot: b64hash,
    toRoot: b64hash,
    fromCheckpoint: nullableString,
    toCheckpoint: nullableString,
  },
} as const;

export const keyList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'keyId', 'vkey', 'publicKeyPem', 'current'],
        properties: {
          name: { type: 'string' },
          keyId: { type: 'string' },
          vkey: { type: 'string', description: 'signed-note verifier key: <name>+<keyId>+<base64>' },
          publicKeyPem: { type: 'string' },
          current: { type: 'boolean', description: 'Signs new checkpoints' },
        },
      },
    },
  },
} as const;
