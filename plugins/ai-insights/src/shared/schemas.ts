// JSON schema fragments the routes share.
export const Uuid = { type: 'string', format: 'uuid' } as const;
export const ServiceLevel = {
  type: 'number',
  exclusiveMinimum: 0,
  exclusiveMaximum: 1,
  description: 'Chance of not running out in a replenishment cycle, in (0, 1), e.g. 0.95',
} as const;
export const Level = {
  type: 'number',
  exclusiveMinimum: 0,
  exclusiveMaximum: 1,
  description: 'Nominal coverage of the prediction interval, in (0, 1); default 0.8',
} as const;
/** The longest horizon any request may ask for; the tenant's maxHorizon may be shorter. */
export const MAX_HORIZON = 104;
export const Horizon = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_HORIZON,
  description: 'Periods to forecast (at most the tenant setting maxHorizon)',
} as const;
export const IdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: Uuid },
} as const;
/** One series: an item in a warehouse. */
export const SeriesKey = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'warehouseId'],
  properties: { itemId: Uuid, warehouseId: Uuid },
} as const;
export const SeriesQuery = {
  ...SeriesKey,
  properties: { ...SeriesKey.properties, horizon: Horizon },
} as const;
/** The query of category suggestions (expenses, items). */
export const SuggestionQuery = {
  threshold: {
    type: 'number',
    exclusiveMinimum: 0,
    exclusiveMaximum: 1,
    default: 0.7,
    description: 'Below this confidence the suggestion asks (category null, needsReview)',
  },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
} as const;
