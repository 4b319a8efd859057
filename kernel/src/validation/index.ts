// The kernel's one ajv setup. Every schema the kernel checks (request parts, plugin routes, event
// and job payloads, configuration) is compiled by one of a few shared instances whose rules differ
// only where the input differs: JSON bodies are strict, text from URLs is coerced, stored payloads
// get no defaults, the environment is coerced with defaults.
export { ajvFor, type ValidationMode } from './ajv.js';
export { type CompiledValidator, compileValidator, type FieldError, fieldErrors } from './field-errors.js';
