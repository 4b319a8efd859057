// Schema fragments the routes share; hours and percents travel as decimal strings.
export const Uuid = { type: 'string', format: 'uuid' } as const;
export const DateOnly = { type: 'string', format: 'date' } as const;
export const Hours = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]?)(\\.[0-9]{1,4})?$',
  description: 'Hours, decimal string',
} as const;
export const Percent = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,2})(\\.[0-9]{1,4})?$',
  description: 'Percent, decimal string',
} as const;
export const Period = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: DateOnly, to: DateOnly, userId: Uuid },
} as const;
