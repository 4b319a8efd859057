// What every route of this plugin shares: refusals with stable codes naming the field, and schema
// fragments. Quantities are decimal strings computed by Postgres `numeric`, never JS numbers.
import { type PluginContext, PluginProblem } from '@erp/sdk';

export type Ctx = PluginContext;

export function refuse(
  status: 404 | 409 | 422,
  code: string,
  title: string,
  field: string,
  message: string,
): never {
  throw new PluginProblem(status, `LOTS_SERIALS_${code}`, title, `${field}: ${message}`, [
    { field, message },
  ]);
}

export const Uuid = { type: 'string', format: 'uuid' } as const;
export const Code = { type: 'string', minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' } as const;
export const DateOnly = { type: 'string', format: 'date' } as const;
export const Qty = { type: 'string', pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$' } as const;

export const LotParams = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'code'],
  properties: { itemId: Uuid, code: Code },
} as const;

export const SerialParams = {
  type: 'object',
  additionalProperties: false,
  required: ['itemId', 'serial'],
  properties: { itemId: Uuid, serial: Code },
} as const;

/** The signed-move columns of tracked_moves, as routes show them. */
export const MOVE_COLUMNS = `t.move_id as "moveId", t.seq::int as seq, t.kind, t.document_id as "documentId",
  t.transfer_id as "transferId", t.item_id as "itemId", t.sku, t.warehouse_id as "warehouseId",
  t.location_id as "locationId", t.lot, t.serials, trim_scale(t.qty)::text as qty, t.partner, t.reference,
  t.return_of as "returnOf", iso(t.effective_at) as "effectiveAt", t.cancels,
  (select c.move_id from tracked_moves c where c.cancels = t.move_id limit 1) as "cancelledBy", t.expiry_status as "expiryStatus",
  t.learnt_early as "learntEarly"`;

/** Moves that count for trace: not cancelled, and not themselves a cancel. */
export const LIVE = `t.cancels is null and not exists (select 1 from tracked_moves c where c.cancels = t.move_id)`;

/** Today's date in UTC (the rules library takes "today" as an argument; routes supply it). */
export const today = (): string => new Date().toISOString().slice(0, 10);
