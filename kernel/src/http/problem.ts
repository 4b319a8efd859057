// RFC 9457 problem details. Every error the kernel sends is one of these, with a stable `code`
// that clients may switch on; `detail` is for humans and may change.
import type { FieldError } from '../validation/index.js';

export type { FieldError };

export interface ProblemOptions {
  detail?: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
  /** Commit the unit of work before answering (e.g. to keep a failed-login counter). */
  commitBeforeThrow?: boolean;
  /** Extension members a protocol asks for (OAuth's `error`, `error_description`: RFC 6749 §5.2). */
  extensions?: Record<string, string>;
  /** The answer's media type when a protocol fixes it (OAuth: application/json); default problem+json. */
  mediaType?: string;
}

export class Problem extends Error {
  readonly commitBeforeThrow: boolean;
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly options: ProblemOptions = {},
  ) {
    super(options.detail ?? title);
    this.name = 'Problem';
    this.commitBeforeThrow = options.commitBeforeThrow ?? false;
  }

  toJSON(instance?: string, requestId?: string): Record<string, unknown> {
    return {
      ...this.options.extensions,
      type: `urn:erp:problem:${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...(this.options.detail ? { detail: this.options.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(requestId ? { requestId } : {}),
      ...(this.options.errors ? { errors: this.options.errors } : {}),
    };
  }
}

/** 400 for input that does not match its schema, naming each field. */
export function validationProblem(errors: FieldError[]): Problem {
  return new Problem(400, 'ERP_VALIDATION', 'Request does not match the schema', {
    detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
    errors,
  });
}

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    // OAuth's members (RFC 6749 §5.2) on the OAuth endpoints' refusals.
    error: { type: 'string' },
    error_description: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

export const notFound = (what: string) => new Problem(404, 'ERP_NOT_FOUND', `${what} not found`);
export const forbidden = (permission: string) =>
  new Problem(403, 'ERP_FORBIDDEN', 'Permission denied', {
    detail: `This action needs the permission ${permission}.`,
  });
export const unauthenticated = (detail: string, code = 'ERP_UNAUTHENTICATED') =>
  new Problem(401, code, 'Authentication required', { detail });
export const badRequest = (code: string, field: string, message: string) =>
  new Problem(400, code, 'Invalid request', { detail: `${field}: ${message}`, errors: [{ field, message }] });
