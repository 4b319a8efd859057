// Schema fragments shared by kernel routes.
export const uuid = { type: 'string', format: 'uuid' } as const;
export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: uuid },
} as const;
/** The body of a route that takes none: absent, or an empty JSON object; anything else is a 400. */
export const noBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  description: 'No body (an empty object is accepted)',
} as const;
export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1000000, default: 0 },
  },
} as const;
/** The answer of a request that queued work to run later (202). */
export const queuedResult = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;
export const email = { type: 'string', format: 'email', maxLength: 254 } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const permissionList = {
  type: 'array',
  maxItems: 500,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 200 },
} as const;
