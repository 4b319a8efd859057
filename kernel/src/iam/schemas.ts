// Schemas of the identity-and-access admin API.
import { schemas } from '../http/index.js';

export const user = {
  type: 'object',
  required: ['id', 'email', 'displayName', 'status', 'mfaEnabled', 'locked', 'roles', 'createdAt'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    status: { type: 'string', enum: ['active', 'disabled'] },
    mfaEnabled: { type: 'boolean' },
    locked: { type: 'boolean' },
    roles: { type: 'array', items: { type: 'string' } },
    createdAt: schemas.dateTime,
  },
} as const;

export const userList = {
  type: 'object',
  required: ['items', 'total'],
  properties: { items: { type: 'array', items: user }, total: { type: 'integer' } },
} as const;

export const createUserBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    email: schemas.email,
    password: { type: 'string', minLength: 1, maxLength: 256 },
    displayName: { type: 'string', maxLength: 200 },
    roleIds: { type: 'array', maxItems: 50, uniqueItems: true, items: schemas.uuid },
  },
} as const;

export const updateUserBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName: { type: 'string', maxLength: 200 },
    status: { type: 'string', enum: ['active', 'disabled'] },
  },
} as const;

export const role = {
  type: 'object',
  required: ['id', 'name', 'description', 'permissions', 'builtin'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    permissions: { type: 'array', items: { type: 'string' } },
    builtin: { type: 'boolean' },
  },
} as const;

export const roleList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: role } },
} as const;

export const createRoleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'permissions'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' },
    description: { type: 'string', maxLength: 500 },
    permissions: schemas.permissionList,
  },
} as const;

export const updateRoleBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: createRoleBody.properties.name,
    description: createRoleBody.properties.description,
    permissions: schemas.permissionList,
  },
} as const;

export const assignmentParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'roleId'],
  properties: { id: schemas.uuid, roleId: schemas.uuid },
} as const;

export const apiKey = {
  type: 'object',
  required: ['id', 'name', 'hint', 'permissions', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    hint: { type: 'string', description: 'Last four characters of the secret' },
    permissions: { type: 'array', items: { type: 'string' } },
    createdBy: { type: ['string', 'null'] },
    createdAt: schemas.dateTime,
    expiresAt: schemas.nullableDateTime,
    revokedAt: schemas.nullableDateTime,
    lastUsedAt: schemas.nullableDateTime,
  },
} as const;

export const apiKeyList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: apiKey } },
} as const;

export const createApiKeyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'permissions'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    permissions: { ...schemas.permissionList, minItems: 1 },
    expiresAt: schemas.dateTime,
  },
} as const;

export const apiKeySecret = {
  type: 'object',
  required: ['id', 'token', 'hint'],
  properties: {
    id: { type: 'string' },
    token: { type: 'string', description: 'The secret; shown only in this response' },
    hint: { type: 'string' },
  },
} as const;

export const permissionCatalogue = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'description', 'owner'],
        properties: { name: { type: 'string' }, description: { type: 'string' }, owner: { type: 'string' } },
      },
    },
  },
} as const;
