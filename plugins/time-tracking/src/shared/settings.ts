// The tenant's settings for the plugin (ctx.config, validated against configSchema in index.ts),
// with the defaults applied here too so a handler never sees a missing one.
import type { PluginContext } from '@erp/sdk';
import { refuse } from './problems.js';

export interface Settings {
  approvalSteps: Array<'approver' | 'finance'>;
  allowSelfApproval: boolean;
  timerLimitHours: number;
  dailyOvertimeHours: string | null;
  weeklyOvertimeHours: string | null;
  weekStartsOn: number;
  currencyDecimals: number;
}

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    approvalSteps: {
      type: 'array',
      uniqueItems: true,
      maxItems: 2,
      items: { type: 'string', enum: ['approver', 'finance'] },
      default: ['approver', 'finance'],
      description: 'Approval steps after submission, in order; [] approves on submission',
    },
    allowSelfApproval: {
      type: 'boolean',
      default: false,
      description: 'Let a person decide on their own entries at a step (segregation of duties when false)',
    },
    timerLimitHours: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 168,
      default: 10,
      description: 'A timer running longer than this is flagged (and the entry it makes too)',
    },
    dailyOvertimeHours: {
      type: ['string', 'null'],
      pattern: '^[0-9]{1,2}(\\.[0-9]{1,4})?$',
      default: '8',
      description: 'Hours per day beyond which time is overtime (null: no daily rule)',
    },
    weeklyOvertimeHours: {
      type: ['string', 'null'],
      pattern: '^[0-9]{1,3}(\\.[0-9]{1,4})?$',
      default: '40',
      description: 'Regular hours per week beyond which time is overtime (null: no weekly rule)',
    },
    weekStartsOn: {
      type: 'integer',
      minimum: 1,
      maximum: 7,
      default: 1,
      description: '1 = Monday … 7 = Sunday',
    },
    currencyDecimals: {
      type: 'integer',
      minimum: 0,
      maximum: 6,
      default: 2,
      description: 'Decimals bill amounts are rounded to (half-up)',
    },
  },
} as const;

export function settings(ctx: PluginContext): Settings {
  const c = ctx.config as Partial<Settings>;
  return {
    approvalSteps: c.approvalSteps ?? ['approver', 'finance'],
    allowSelfApproval: c.allowSelfApproval ?? false,
    timerLimitHours: c.timerLimitHours ?? 10,
    dailyOvertimeHours: c.dailyOvertimeHours === undefined ? '8' : c.dailyOvertimeHours,
    weeklyOvertimeHours: c.weeklyOvertimeHours === undefined ? '40' : c.weeklyOvertimeHours,
    weekStartsOn: c.weekStartsOn ?? 1,
    currencyDecimals: c.currencyDecimals ?? 2,
  };
}

/** The caller's user id; API keys and the system have none and cannot own time. */
export function me(ctx: PluginContext): string {
  if (!ctx.user.id)
    refuse(
      403,
      'USER_REQUIRED',
      'A user is required',
      '/',
      'time belongs to a signed-in user, not an API key',
    );
  return ctx.user.id;
}
