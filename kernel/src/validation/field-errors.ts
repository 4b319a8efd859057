// ajv's errors turned into the field errors a problem+json carries: a JSON pointer into the
// request (or payload) and a message a person can act on.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvFor } from './ajv.js';

export interface FieldError {
  /** JSON pointer into the request, e.g. /body/email or /query/limit. */
  field: string;
  message: string;
}

export function fieldErrors(part: string, errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      return {
        field: `/${part}${e.instancePath}/${String(params.additionalProperty)}`,
        message: 'is not a known field',
      };
    }
    if (e.keyword === 'required') {
      return { field: `/${part}${e.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
    }
    return { field: `/${part}${e.instancePath}`, message: e.message ?? 'is invalid' };
  });
}

/** Field errors, or null when the value is valid (defaults are applied in place). */
export type CompiledValidator = (value: unknown) => FieldError[] | null;

/**
 * Compiles a schema from outside the kernel (a plugin's); `onInvalid` names the culprit.
 * `untrusted` (a sandboxed plugin's): its regular expressions run in linear time.
 */
export function compileValidator(
  schema: unknown,
  part: string,
  coerce: boolean,
  onInvalid: () => Error,
  untrusted = false,
): CompiledValidator {
  let fn: ValidateFunction;
  try {
    fn = ajvFor(coerce ? 'text' : 'body', untrusted).compile(schema as object);
  } catch {
    throw onInvalid();
  }
  return (value) => (fn(value) ? null : fieldErrors(part, fn.errors));
}
