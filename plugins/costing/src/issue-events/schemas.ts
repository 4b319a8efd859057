// The events costing publishes about issues, for project costing (contract in CONTRACTS.md):
// `costing.issue.costed` once per issue when it is first costed, `costing.issue.recosted` with the
// signed change whenever a later step changes that issue's cost. The sum of an issue's `amount` and
// its deltas is always its current cost (COGS at issue plus corrections), to the cent.
import { schema } from '@erp/sdk';

const Uuid = { type: 'string', format: 'uuid' } as const;
const NullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
const At = { type: 'string', format: 'date-time', description: "The issue's effective instant" } as const;

export const IssueCosted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['moveId', 'documentId', 'itemId', 'warehouseId', 'qty', 'amount', 'projectId', 'effectiveAt'],
  properties: {
    moveId: { ...Uuid, description: 'The warehouses issue move' },
    documentId: NullableUuid,
    itemId: Uuid,
    warehouseId: Uuid,
    qty: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'Quantity issued (> 0)' },
    amount: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'Total cost (>= 0)' },
    projectId: NullableUuid,
    effectiveAt: At,
  },
} as const);

export const IssueRecosted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['moveId', 'projectId', 'delta', 'reason', 'effectiveAt'],
  properties: {
    moveId: Uuid,
    projectId: NullableUuid,
    delta: { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'Signed change of the cost' },
    reason: {
      type: 'string',
      enum: ['correction', 'repost', 'cancelled'],
      description:
        "'correction': stock arrived for units issued below zero; 'repost': the valuation was re-costed (a back-dated or cancelled move, a landed cost under the re-cost convention, a cancelled costing document); 'cancelled': the issue itself was cancelled (delta = minus what was announced)",
    },
    effectiveAt: At,
  },
} as const);

/** Local names: the host qualifies them as costing.issue.costed / costing.issue.recosted. */
export const events = { 'issue.costed': IssueCosted, 'issue.recosted': IssueRecosted };
