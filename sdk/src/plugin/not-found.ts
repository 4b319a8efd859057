// The answer for an id in the path that names nothing this tenant has: 404 with the plugin's own
// stable code and the field at fault, so clients can tell "no such thing" from a bad request.
import { PluginProblem } from './problem.js';

/**
 * `throw notFound('WAREHOUSES_ITEM_NOT_FOUND', 'Item')` → 404, title "Item not found", errors
 * [{ field: '/params/id', message: 'does not exist' }].
 */
export function notFound(code: string, what: string, field = '/params/id'): PluginProblem {
  return new PluginProblem(404, code, `${what} not found`, `${field}: does not exist`, [
    { field, message: 'does not exist' },
  ]);
}
