// Every refusal this plugin gives: a stable code, the status, and the field (a JSON pointer into
// the request) it is about. Thrown inside the request's transaction, so nothing it did is kept.
import { PluginProblem } from '@erp/sdk';

type Status = 404 | 409 | 422;

export function refuse(status: Status, code: string, title: string, field: string, message: string): never {
  throw new PluginProblem(status, `INTEGRATIONS_${code}`, title, `${field}: ${message}`, [
    { field, message },
  ]);
}

export function notFound(what: string, field: string): never {
  refuse(
    404,
    `${what.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`,
    `${what} not found`,
    field,
    'does not exist',
  );
}
