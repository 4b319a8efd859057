// ajv validators for plugin schemas, with the kernel's rules: bodies strict (no coercion, no
// silent removal), params and query strings coerced from text. Errors name the field.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../http/index.js';

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}
const strict = makeAjv(false);
const coercing = makeAjv(true);

/** Field errors, or null when the value is valid (defaults are applied in place). */
export type CompiledValidator = (value: unknown) => FieldError[] | null;

export function compileValidator(
  schema: unknown,
  part: string,
  coerce: boolean,
  onInvalid: () => Error,
): CompiledValidator {
  let fn: ValidateFunction;
  try {
    fn = (coerce ? coercing : strict).compile(schema as object);
  } catch {
    throw onInvalid();
  }
  return (value) => {
    if (fn(value)) return null;
    return (fn.errors ?? []).map((e) => {
      const params = e.params as Record<string, unknown>;
      if (e.keyword === 'additionalProperties') {
        return {
          field: `/${part}${e.instancePath}/${String(params.additionalProperty)}`,
          message: 'is not a known field',
        };
      }
      if (e.keyword === 'required') {
        return {
          field: `/${part}${e.instancePath}/${String(params.missingProperty)}`,
          message: 'is required',
        };
      }
      return { field: `/${part}${e.instancePath}`, message: e.message ?? 'is invalid' };
    });
  };
}
