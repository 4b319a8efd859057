// The tenant's settings for the plugin (ctx.config, validated and defaulted by the kernel against
// configSchema), read with their defaults in one place.
import type { PluginContext } from '@erp/sdk';
import type { Period } from '../engine/index.js';
import { MAX_HORIZON } from './schemas.js';

export type Ctx = PluginContext;

const SEASON: Record<Period, number> = { day: 7, week: 52, month: 12 };

export interface Settings {
  period: Period;
  seasonLength: number;
  maxHorizon: number;
  level: number;
  serviceLevel: number;
  leadTime: number;
  deadAfterDays: number;
}

export function settings(ctx: Ctx): Settings {
  const c = ctx.config as Record<string, unknown>;
  const period = (c.period as Period | undefined) ?? 'week';
  return {
    period,
    seasonLength: (c.seasonLength as number | undefined) ?? SEASON[period],
    maxHorizon: (c.maxHorizon as number | undefined) ?? 26,
    level: (c.level as number | undefined) ?? 0.8,
    serviceLevel: (c.serviceLevel as number | undefined) ?? 0.95,
    leadTime: (c.leadTime as number | undefined) ?? 2,
    deadAfterDays: (c.deadAfterDays as number | undefined) ?? 180,
  };
}

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: {
      type: 'string',
      enum: ['day', 'week', 'month'],
      default: 'week',
      description: 'Forecast bucket',
    },
    seasonLength: {
      type: 'integer',
      minimum: 1,
      maximum: 366,
      description: 'Periods per season (default: 7 days, 52 weeks or 12 months)',
    },
    maxHorizon: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_HORIZON,
      default: 26,
      description: 'Longest forecast',
    },
    level: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.8 },
    serviceLevel: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95 },
    leadTime: {
      type: 'number',
      minimum: 0,
      maximum: 104,
      default: 2,
      description: 'Supplier lead time in periods',
    },
    deadAfterDays: { type: 'integer', minimum: 1, default: 180 },
  },
} as const;
