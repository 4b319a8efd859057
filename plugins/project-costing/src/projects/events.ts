// `project-costing.project.upserted`: the whole project with its activities, published in the unit
// of work of every change to a project or its activities. Other plugins (time-tracking, resources)
// keep their own projection from it and never read this plugin's tables (contract in the brief).
import { schema } from '@erp/sdk';
import { Code, Day, Name, Status, Uuid } from '../shared/index.js';

export const ProjectUpserted = schema({
  type: 'object',
  additionalProperties: false,
  required: ['projectId', 'code', 'name', 'client', 'status', 'currency', 'startsOn', 'endsOn', 'activities'],
  properties: {
    projectId: Uuid,
    code: Code,
    name: Name,
    client: { type: ['string', 'null'] },
    status: Status,
    currency: { type: 'string' },
    startsOn: Day,
    endsOn: Day,
    activities: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['activityId', 'code', 'name', 'startsOn', 'endsOn'],
        properties: { activityId: Uuid, code: Code, name: Name, startsOn: Day, endsOn: Day },
      },
    },
  },
} as const);

export const events = { 'project.upserted': ProjectUpserted };
