// Every refusal this plugin gives: RFC 9457 problems with a stable code and the JSON pointer of the
// field. Engine refusals (CostingError) keep their code, status and field; thrown inside the
// request's transaction, so nothing the request did is kept.
import { PluginProblem } from '@erp/sdk';
import { CostingError } from '../engine/index.js';

type Status = 400 | 404 | 409 | 422;

export function refuse(status: Status, code: string, title: string, field: string, message: string): never {
  throw new PluginProblem(status, code, title, `${field}: ${message}`, [{ field, message }]);
}

/**
 * The problem for an engine refusal. `pointer` turns the engine's field (relative to the step it
 * was given, e.g. `lines/0/receiptId`) into the request's JSON pointer (`/body/lines/3/receiptId`).
 */
export function costingProblem(
  err: CostingError,
  pointer: (field: string) => string,
  context?: string,
): PluginProblem {
  const field = pointer(err.field);
  const message = err.field ? err.message.slice(err.field.length + 2) : err.message;
  const detail = `${field}: ${message}${context ? ` (${context})` : ''}`;
  return new PluginProblem(err.status as Status, err.code, titleOf(err.code), detail, [{ field, message }]);
}

const titleOf = (code: string) => {
  const words = code
    .replace(/^COSTING_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const isCostingError = (err: unknown): err is CostingError => err instanceof CostingError;
