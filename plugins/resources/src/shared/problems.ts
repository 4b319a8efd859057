// Refusals: a stable code, a status and the field (JSON pointer into the request) they are about.
import { PluginProblem } from '@erp/sdk';

export function refuse(
  status: 404 | 409 | 422,
  code: string,
  title: string,
  field: string,
  message: string,
): never {
  throw new PluginProblem(status, `RESOURCES_${code}`, title, `${field}: ${message}`, [{ field, message }]);
}
