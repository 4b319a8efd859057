// Shared ajv instances, one per validation mode, created on first use. Sharing matters: compiling
// keeps schemas by identity, and each instance with formats costs ~1 MB.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';

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

const instances = new Map<string, Ajv>();

/**
 * `pattern` for schemas from untrusted (sandboxed) plugins: RE2's linear-time matching (re2js), so
 * a catastrophic expression cannot hold the host's event loop on input the caller chooses.
 * Lookarounds and backreferences are not supported there: such a schema fails to compile.
 */
const linearRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const re = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
    // ajv keeps compiled patterns by toString(): each must say which pattern it is.
    return { test: (s: string) => re.test(s), toString: () => `re2js:/${pattern}/${flags}` };
  },
  { code: 're2js' },
);

export function ajvFor(mode: ValidationMode, untrusted = false): Ajv {
  const key = untrusted ? `${mode}:untrusted` : mode;
  let ajv = instances.get(key);
  if (!ajv) {
    ajv = new Ajv(untrusted ? { ...OPTIONS[mode], code: { regExp: linearRegExp } } : OPTIONS[mode]);
    addFormats.default(ajv);
    instances.set(key, ajv);
  }
  return ajv;
}
