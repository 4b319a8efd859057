// /api/v1/jobs: a tenant admin's view of its jobs; failed jobs can be retried.
import { defineRoute, notFound, Problem, schemas } from '../http/index.js';
import { JOBS_READ, JOBS_RETRY } from './permissions.js';
import type { JobQueue } from './queue.js';
import * as s from './schemas.js';

type Cradle = { jobs: JobQueue };

export const jobRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/jobs',
    access: { permission: JOBS_READ },
    summary: 'List the tenant\u2019s queued, running and failed jobs',
    tags: ['jobs'],
    query: s.jobListQuery,
    response: s.jobList,
    handler: async ({ sql, query, scope }) => ({
      items: await (scope.cradle as Cradle).jobs.list(sql, query),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/jobs/:id/retry',
    access: { permission: JOBS_RETRY },
    summary: 'Queue a failed job again with fresh tries',
    tags: ['jobs'],
    params: schemas.idParams,
    body: schemas.noBody,
    response: schemas.queuedResult,
    status: 202,
    handler: async ({ sql, params, scope }) => {
      const result = await (scope.cradle as Cradle).jobs.retry(sql, params.id);
      if (result === 'not-found') throw notFound('Job');
      if (result === 'not-failed') {
        throw new Problem(409, 'ERP_JOB_NOT_FAILED', 'Job has not failed', {
          detail: 'Only failed jobs can be retried; this one is queued or running.',
        });
      }
      return { status: 'queued' };
    },
  }),
];
