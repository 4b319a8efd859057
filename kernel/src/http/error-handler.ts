// Turns anything thrown in a request into problem+json: validation and parser errors name the
// field, database constraint errors become 409/404 without leaking other tenants' data, and
// unexpected errors are logged with their stack and answered as a bare 500.

import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fieldErrors } from '../validation/index.js';
import { Problem, validationProblem } from './problem.js';

interface PgError {
  code?: string;
  constraint?: string;
  severity?: string;
}

function fromValidation(err: FastifyError): Problem {
  const errors = fieldErrors(err.validationContext ?? 'body', err.validation as ErrorObject[] | undefined);
  return validationProblem(errors);
}

function fromPostgres(err: PgError): Problem | undefined {
  switch (err.code) {
    case '23505':
      return new Problem(409, 'ERP_CONFLICT', 'Already exists', {
        detail: `A record with the same unique value already exists (${err.constraint ?? 'unique key'}).`,
      });
    case '23503':
      return new Problem(409, 'ERP_REFERENCE_INVALID', 'Referenced record not found or still in use');
    case '23514':
    case '22P02':
    case '22001':
      return new Problem(400, 'ERP_VALIDATION', 'Value rejected by the database', {
        detail: err.constraint ? `check ${err.constraint} failed` : undefined,
      });
    case '42501':
      // RLS WITH CHECK refusals and missing grants: a write aimed at another tenant's scope.
      return new Problem(403, 'ERP_TENANT_FORBIDDEN', 'Not allowed in this tenant');
    default:
      return undefined;
  }
}

export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const e = err as FastifyError & PgError;
  if (e?.validation) return fromValidation(e);
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'ERP_BODY_TOO_LARGE', 'Request body too large', { detail: e.message });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'ERP_UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type', {
        detail: e.message,
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new Problem(400, 'ERP_MALFORMED_JSON', 'Malformed JSON body', { detail: e.message });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'ERP_BAD_REQUEST', 'Invalid content length');
  }
  if (e instanceof SyntaxError || (e?.statusCode === 400 && /JSON/i.test(e.message ?? ''))) {
    return new Problem(400, 'ERP_MALFORMED_JSON', 'Malformed JSON body', { detail: e.message });
  }
  const pgProblem = e?.severity ? fromPostgres(e) : undefined;
  if (pgProblem) return pgProblem;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new Problem(e.statusCode, 'ERP_BAD_REQUEST', 'Bad request', { detail: e.message });
  }
  return new Problem(500, 'ERP_INTERNAL', 'Internal error', {
    detail: 'The server could not complete the request; it has been logged with the request id.',
  });
}

export function sendProblem(problem: Problem, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (problem.options.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(problem.options.retryAfterSeconds))));
  }
  return reply
    .code(problem.status)
    .type(problem.options.mediaType ?? 'application/problem+json')
    .send(problem.toJSON(request.url.split('?')[0], String(request.id)));
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(err);
  if (problem.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
  return sendProblem(problem, request, reply);
}
