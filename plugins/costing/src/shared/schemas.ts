// JSON schema fragments the routes share. Money, quantities and unit costs travel as decimal
// strings (never JSON numbers, which are floats); the engine checks sign, scale and minor unit.
export const Uuid = { type: 'string', format: 'uuid' } as const;
export const DateTime = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 date-time; defaults to now',
} as const;
export const Decimal = {
  type: 'string',
  pattern: '^-?[0-9]{1,20}(\\.[0-9]{1,30})?$',
  description: 'A decimal string such as "12.50"',
} as const;
export const UnitCost = {
  type: 'string',
  pattern: '^[0-9]{1,20}(\\.[0-9]{1,30})?$',
  description: 'Unit cost in the currency, unrounded, as a decimal string',
} as const;
export const Method = { type: 'string', enum: ['fifo', 'lifo', 'average', 'standard'] } as const;
/** An item's method: the four, or specific identification (each batch or serial its own cost). */
export const ItemMethod = {
  type: 'string',
  enum: ['fifo', 'lifo', 'average', 'standard', 'specific'],
} as const;
export const Text = { type: 'string', maxLength: 200 } as const;

export const ItemParams = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId'],
  properties: { itemId: Uuid },
} as const;

export const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;
