// Every refusal this plugin gives: RFC 9457 problems with a stable code and the JSON pointer of the
// field. Engine refusals (ProjectError) keep their code and status; `at` maps the engine's field to
// the request's pointer. Thrown inside the request's transaction, so nothing the request did is kept.
import { PluginProblem } from '@erp/sdk';
import { ProjectError } from '../engine/index.js';

type Status = 400 | 404 | 409 | 422;

export function problem(status: Status, code: string, field: string, message: string): PluginProblem {
  return new PluginProblem(status, code, titleOf(code), `${field}: ${message}`, [{ field, message }]);
}

export function refuseAt(status: Status, code: string, field: string, message: string): never {
  throw problem(status, code, field, message);
}

/** Runs `f`; an engine refusal becomes a problem whose field is `prefix` + the engine's field. */
export function engine<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ProjectError) throw problem(err.status, err.code, `${prefix}${err.field}`, err.reason);
    throw err;
  }
}

const titleOf = (code: string) => {
  const words = code
    .replace(/^PROJECT_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
