// Request and response schemas of the auth routes (validation, handler types and OpenAPI).
import { RECOVERY_CODE_PATTERN } from './recovery-codes.js';

/**
 * For routes that take no input: no body or an empty JSON object; anything else (an array, a
 * string, a field) is refused with a 400 like any other invalid body.
 */
export const noBody = {
  description: 'No body, or an empty JSON object',
  properties: {},
  additionalProperties: false,
  not: { type: ['array', 'string', 'number', 'boolean'] },
} as const;

const otp = { type: 'string', pattern: '^[0-9]{6}$' } as const;
const recoveryCode = { type: 'string', pattern: RECOVERY_CODE_PATTERN } as const;
const password = { type: 'string', minLength: 1, maxLength: 256 } as const;
export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'email', 'password'],
  properties: {
    tenant: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
    otp,
    recoveryCode,
    refreshIn: {
      type: 'string',
      enum: ['body', 'cookie'],
      default: 'body',
      description:
        "'cookie': the refresh token is set as an HttpOnly SameSite=Strict cookie scoped to /api/v1/auth/refresh and left out of the body (the web shell)",
    },
  },
} as const;

export const refreshBody = {
  type: 'object',
  additionalProperties: false,
  description:
    'The refresh token in the body, or (no body field) in the erp_refresh cookie set by a cookie login',
  properties: {
    refreshToken: { type: 'string', minLength: 10, maxLength: 200 },
    refreshIn: { type: 'string', enum: ['body', 'cookie'], default: 'body' },
  },
} as const;

export const tokenPair = {
  type: 'object',
  required: ['accessToken', 'tokenType', 'expiresIn'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string', description: "Absent when refreshIn is 'cookie'" },
    tokenType: { type: 'string', const: 'Bearer' },
    expiresIn: { type: 'integer', description: 'Seconds until the access token expires' },
  },
} as const;

export const passwordChangeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['currentPassword', 'newPassword'],
  properties: {
    currentPassword: { type: 'string', minLength: 1, maxLength: 256 },
    newPassword: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

export const otpBody = {
  type: 'object',
  additionalProperties: false,
  required: ['otp'],
  properties: { otp },
} as const;

/** Step-up with the password only (MFA enrolment). */
export const passwordProofBody = {
  type: 'object',
  additionalProperties: false,
  required: ['password'],
  properties: { password },
} as const;

/** Step-up with the password and a second factor: a TOTP code or one recovery code. */
export const fullProofBody = {
  type: 'object',
  additionalProperties: false,
  required: ['password'],
  properties: { password, otp, recoveryCode },
  oneOf: [{ required: ['otp'] }, { required: ['recoveryCode'] }],
} as const;

export const recoveryCodesResponse = {
  type: 'object',
  required: ['recoveryCodes'],
  properties: {
    recoveryCodes: {
      type: 'array',
      items: { type: 'string' },
      description: 'Shown once: each code can replace a TOTP code one time',
    },
  },
} as const;

export const sessionList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'createdAt', 'current'],
        properties: {
          id: { type: 'string' },
          userAgent: { type: ['string', 'null'] },
          ip: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
          lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
          expiresAt: { type: 'string', format: 'date-time' },
          current: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export const meResponse = {
  type: 'object',
  required: ['kind', 'tenantId', 'permissions'],
  properties: {
    kind: { type: 'string', enum: ['user', 'apiKey'] },
    tenantId: { type: 'string' },
    userId: { type: ['string', 'null'] },
    apiKeyId: { type: ['string', 'null'] },
    email: { type: ['string', 'null'] },
    mfaEnabled: { type: 'boolean' },
    permissions: { type: 'array', items: { type: 'string' } },
  },
} as const;
