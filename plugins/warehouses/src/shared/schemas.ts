// JSON schema fragments every route shares. Quantities and money travel as decimal strings (never
// JSON numbers, which are floats); the patterns bound them to what `numeric` stores exactly.
export const QTY_PATTERN = '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$';
export const SIGNED_QTY_PATTERN = '^-?(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$';
export const COST_PATTERN = '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,10})?$';

export const Uuid = { type: 'string', format: 'uuid' } as const;
export const Qty = {
  type: 'string',
  pattern: QTY_PATTERN,
  description: 'Quantity greater than zero, as a decimal string (up to 6 decimals)',
} as const;
export const SignedQty = {
  type: 'string',
  pattern: SIGNED_QTY_PATTERN,
  description: 'Non-zero signed quantity, as a decimal string',
} as const;
export const UnitCost = {
  type: 'string',
  pattern: COST_PATTERN,
  description: 'Unit cost in the tenant currency, as an unrounded decimal string',
} as const;
/** A lot or serial code: printable, no surrounding spaces. */
export const Code = { type: 'string', minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' } as const;
export const Serials = { type: 'array', minItems: 1, maxItems: 10_000, items: Code } as const;
export const Text = { type: 'string', maxLength: 200 } as const;
export const Note = { type: 'string', maxLength: 2000 } as const;
export const DateTime = { type: 'string', format: 'date-time' } as const;
export const DateOnly = { type: 'string', format: 'date' } as const;

export const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;
