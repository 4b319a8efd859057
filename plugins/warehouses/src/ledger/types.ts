// What a document asks the ledger to post, and what the ledger posted.
export type MoveKind =
  | 'receipt'
  | 'customer-return'
  | 'issue'
  | 'vendor-return'
  | 'transfer-out'
  | 'transfer-in'
  | 'adjustment'
  | 'count';

export interface MoveSpec {
  /** JSON pointer of the request line this move comes from; refusals name fields under it. */
  field: string;
  /** Overrides for fields that live elsewhere in the request (a transfer's locations). */
  fields?: { locationId?: string };
  kind: MoveKind;
  itemId: string;
  locationId: string;
  /** Signed decimal: positive into the location, negative out of it. */
  qty: string;
  lot?: string | null;
  lotExpiresOn?: string | null;
  serials?: readonly string[];
  unitCost?: string | null;
  /** Sale price per unit of an issue to a customer, when the document gave one. */
  unitPrice?: string | null;
  returnOf?: string | null;
  partner?: string | null;
  reference?: string | null;
  /** Index (in the same post) of the other leg of a transfer. */
  counterpart?: number;
  /** A reversing move (a cancel): the move it reverses. */
  cancelsMoveId?: string | null;
}

export interface PostedMove {
  id: string;
  seq: number;
  documentId: string;
  kind: MoveKind;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  lot: string | null;
  lotExpiresOn: string | null;
  qty: string;
  unitCost: string | null;
  unitPrice: string | null;
  serials: string[];
  returnOf: string | null;
  counterpartId: string | null;
  partner: string | null;
  reference: string | null;
  effectiveAt: string;
}
