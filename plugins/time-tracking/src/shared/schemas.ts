// JSON schema fragments the routes share. Hours and money travel as decimal strings, never JSON
// numbers (floats).
export const HOURS_PATTERN = '^(0|[1-9][0-9]?)(\\.[0-9]{1,4})?$';
export const RATE_PATTERN = '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,6})?$';

export const Uuid = { type: 'string', format: 'uuid' } as const;
export const DateOnly = { type: 'string', format: 'date' } as const;
export const DateTime = { type: 'string', format: 'date-time' } as const;
export const Hours = {
  type: 'string',
  pattern: HOURS_PATTERN,
  description: 'Hours as a decimal string (up to 4 decimals)',
} as const;
export const Note = { type: 'string', maxLength: 2000 } as const;
export const Text = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;
