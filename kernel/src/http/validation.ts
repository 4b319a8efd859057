// Request parts are validated by the kernel's shared ajv instances: bodies strictly (no type
// coercion, unknown fields rejected by the schemas' additionalProperties: false, nothing silently
// removed); query strings and path parameters, which are always text on the wire, are coerced.
import type { FastifySchemaCompiler } from 'fastify';
import { ajvFor } from '../validation/index.js';

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => ajvFor(httpPart === 'body' ? 'body' : 'text').compile(schema as object);
}
