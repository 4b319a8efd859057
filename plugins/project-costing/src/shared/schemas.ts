// JSON schema fragments the routes and events share. Money, hours, rates and percentages travel as
// decimal strings (never JSON numbers, which are floats); dates as ISO calendar dates.
export const Uuid = { type: 'string', format: 'uuid' } as const;
export const NullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
export const Day = { type: 'string', format: 'date', description: 'ISO calendar date, YYYY-MM-DD' } as const;
export const Decimal = {
  type: 'string',
  pattern: '^-?[0-9]{1,20}(\\.[0-9]{1,20})?$',
  description: 'A decimal string such as "12.50"',
} as const;
export const Amount = {
  type: 'string',
  pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$',
  description: 'A decimal string ≥ 0 such as "12.50"',
} as const;
export const Percent = {
  type: 'string',
  pattern: '^-?[0-9]{1,20}(\\.[0-9]{1,20})?$',
  description: 'Percent complete, 0–100, as a decimal string',
} as const;
export const Currency = {
  type: 'string',
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 alphabetic code',
} as const;
export const Code = { type: 'string', minLength: 1, maxLength: 40 } as const;
export const Name = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const Category = { type: 'string', minLength: 1, maxLength: 60 } as const;
export const Status = { type: 'string', enum: ['planned', 'active', 'closed'] } as const;
export const Billing = { type: 'string', enum: ['fixed-price', 'time-and-materials'] } as const;

export const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;

export const AsOfQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { asOf: { ...Day, description: 'Status date (end of day); defaults to today (UTC)' } },
} as const;
