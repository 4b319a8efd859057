// What this plugin publishes. time.entry.approved is the contract project-costing books actuals
// from (see /work/wt/CONTRACTS.md): once per entry, when it reaches its final approval; a
// reversing entry is announced the same way with negative hours and the entry it reverses.
import { schema } from '@erp/sdk';

const Uuid = { type: 'string', format: 'uuid' } as const;
const UuidOrNull = { type: ['string', 'null'], format: 'uuid' } as const;
const Decimal = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$' } as const;

export const TimeEntryApproved = schema({
  type: 'object',
  additionalProperties: false,
  required: [
    'entryId',
    'userId',
    'projectId',
    'activityId',
    'workDate',
    'hours',
    'billable',
    'reversesEntryId',
  ],
  properties: {
    entryId: Uuid,
    userId: Uuid,
    projectId: Uuid,
    activityId: UuidOrNull,
    workDate: { type: 'string', format: 'date' },
    hours: Decimal,
    billable: { type: 'boolean' },
    reversesEntryId: UuidOrNull,
  },
} as const);

export const TimeOffChanged = schema({
  type: 'object',
  additionalProperties: false,
  required: ['timeOffId', 'userId', 'kind', 'startsOn', 'endsOn', 'hoursPerDay', 'cancelled'],
  properties: {
    timeOffId: Uuid,
    userId: Uuid,
    kind: { type: 'string', enum: ['vacation', 'sick', 'holiday', 'other'] },
    startsOn: { type: 'string', format: 'date' },
    endsOn: { type: 'string', format: 'date' },
    hoursPerDay: { anyOf: [Decimal, { type: 'null' }] },
    cancelled: { type: 'boolean' },
  },
} as const);

export const events = {
  'time.entry.approved': TimeEntryApproved,
  'time.off.changed': TimeOffChanged,
};
