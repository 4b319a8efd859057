// Every refusal this plugin gives: RFC 9457 problems with a stable code and the JSON pointer of
// the field. Thrown inside the request's transaction, so nothing the request did is kept.
import { PluginProblem } from '@erp/sdk';

type Status = 400 | 404 | 409 | 422;

export function refuse(status: Status, code: string, title: string, field: string, message: string): never {
  throw new PluginProblem(status, code, title, `${field}: ${message}`, [{ field, message }]);
}
