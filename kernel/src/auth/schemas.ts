// Request and response schemas of the auth routes (validation, handler types and OpenAPI).
export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'email', 'password'],
  properties: {
    tenant: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
    otp: { type: 'string', pattern: '^[0-9]{6}$' },
  },
} as const;

export const refreshBody = {
  type: 'object',
  additionalProperties: false,
  required: ['refreshToken'],
  properties: { refreshToken: { type: 'string', minLength: 10, maxLength: 200 } },
} as const;

export const tokenPair = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'tokenType', 'expiresIn'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
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
  properties: { otp: { type: 'string', pattern: '^[0-9]{6}$' } },
} as const;

export const mfaDisableBody = {
  type: 'object',
  additionalProperties: false,
  required: ['password', 'otp'],
  properties: { password: { type: 'string', minLength: 1, maxLength: 256 }, otp: otpBody.properties.otp },
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
