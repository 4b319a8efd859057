// Shared ajv instances, one per validation mode, created on first use. Sharing matters: compiling
// keeps schemas by identity, and each instance with formats costs ~1 MB.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * - `body`: JSON request bodies and plugin configuration: no coercion, nothing removed, defaults applied.
 * - `text`: path parameters and query strings, always text on the wire: coerced to the declared types.
 * - `payload`: event and job payloads, stored exactly as validated: no coercion, no defaults.
 * - `config`: environment variables: coerced, defaults applied, first error only.
 */
export type ValidationMode = 'body' | 'text' | 'payload' | 'config';

const OPTIONS: Record<ValidationMode, Options> = {
  body: { allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false },
  text: { allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false },
  payload: { allErrors: true, coerceTypes: false, useDefaults: false, strict: false },
  config: { allErrors: false, coerceTypes: true, useDefaults: true, strict: false },
};

const instances = new Map<ValidationMode, Ajv>();

export function ajvFor(mode: ValidationMode): Ajv {
  let ajv = instances.get(mode);
  if (!ajv) {
    ajv = new Ajv(OPTIONS[mode]);
    addFormats.default(ajv);
    instances.set(mode, ajv);
  }
  return ajv;
}
