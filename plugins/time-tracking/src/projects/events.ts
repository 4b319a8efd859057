// project-costing's project.upserted, as agreed between the branches (see /work/wt/CONTRACTS.md):
// the whole project with its activities, sent whenever either changes.
import { type Infer, schema } from '@erp/sdk';

export const PROJECT_UPSERTED = 'project-costing.project.upserted';

const DateOrNull = { type: ['string', 'null'], format: 'date' } as const;

export const ProjectUpserted = schema({
  type: 'object',
  required: ['projectId', 'code', 'name', 'client', 'status', 'currency', 'startsOn', 'endsOn', 'activities'],
  properties: {
    projectId: { type: 'string', format: 'uuid' },
    code: { type: 'string' },
    name: { type: 'string' },
    client: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['planned', 'active', 'closed'] },
    currency: { type: 'string' },
    startsOn: DateOrNull,
    endsOn: DateOrNull,
    activities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['activityId', 'code', 'name'],
        properties: {
          activityId: { type: 'string', format: 'uuid' },
          code: { type: 'string' },
          name: { type: 'string' },
          startsOn: DateOrNull,
          endsOn: DateOrNull,
        },
      },
    },
  },
} as const);
export type ProjectUpsertedPayload = Infer<typeof ProjectUpserted>;
