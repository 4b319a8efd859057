// The serial register's rules, as pure functions over a serial's history of moves (no database, no
// clock). A serial's state is a fold of its moves in ledger order, so it always follows the latest
// movement (a serial delivered and received again is in stock, at its new place, with the return or
// buy-back as its current receipt document: ERPNext's Serial No keeps the latest purchase and
// delivery documents the same way), and the history itself is never rewritten. A cancel posts a
// reversing move that names the move it cancels; the fold drops both, which is exactly "the
// serial is back where it was" (Odoo and ERPNext both restore the serial on cancelling a picking or
// stock entry). Dropping pairs does not depend on the order the two arrive in.

export interface SerialMove {
  moveId: string;
  /** The ledger's sequence number: the order of the moves, whatever order they were learnt in. */
  seq: number;
  /** receipt, customer-return, issue, vendor-return, transfer-out/-in, adjustment, count, cancel. */
  kind: string;
  direction: 'in' | 'out';
  documentId: string;
  warehouseId: string;
  locationId: string;
  partner?: string | null;
  reference?: string | null;
  effectiveAt: string;
  /** Set on a reversing move: the move it cancels. */
  cancels?: string | null;
}

export interface SerialEvent {
  moveId: string;
  seq: number;
  kind: string;
  documentId: string;
  partner: string | null;
  reference: string | null;
  effectiveAt: string;
}

export interface SerialState {
  inStock: boolean;
  warehouseId: string | null;
  locationId: string | null;
  /** The latest move that counts (not cancelled); 0 when none. */
  lastSeq: number;
  /** The current receipt document: the latest arrival (receipt, customer return, stock found). */
  receipt: SerialEvent | null;
  /** The latest purchase receipt (its partner is the supplier we last got it from). */
  purchase: SerialEvent | null;
  /** The latest delivery to a customer. */
  delivery: SerialEvent | null;
}

const ARRIVALS = new Set(['receipt', 'customer-return', 'adjustment', 'count']);

const event = (m: SerialMove): SerialEvent => ({
  moveId: m.moveId,
  seq: m.seq,
  kind: m.kind,
  documentId: m.documentId,
  partner: m.partner ?? null,
  reference: m.reference ?? null,
  effectiveAt: m.effectiveAt,
});

/** The moves that count: in ledger order, without cancelled moves and the moves cancelling them. */
export function effectiveMoves<T extends { moveId: string; seq: number; cancels?: string | null }>(
  moves: readonly T[],
): T[] {
  const cancelled = new Set(moves.flatMap((m) => (m.cancels ? [m.cancels] : [])));
  return moves.filter((m) => !m.cancels && !cancelled.has(m.moveId)).sort((a, b) => a.seq - b.seq);
}

/** A serial's state after its moves (given in any order; duplicates of a move id count once). */
export function serialState(moves: readonly SerialMove[]): SerialState {
  const unique = [...new Map(moves.map((m) => [m.moveId, m])).values()];
  const state: SerialState = {
    inStock: false,
    warehouseId: null,
    locationId: null,
    lastSeq: 0,
    receipt: null,
    purchase: null,
    delivery: null,
  };
  for (const m of effectiveMoves(unique)) {
    const into = m.direction === 'in';
    state.inStock = into;
    state.warehouseId = into ? m.warehouseId : null;
    state.locationId = into ? m.locationId : null;
    state.lastSeq = m.seq;
    if (into && ARRIVALS.has(m.kind)) state.receipt = event(m);
    if (into && m.kind === 'receipt') state.purchase = event(m);
    if (!into && m.kind === 'issue') state.delivery = event(m);
  }
  return state;
}

export type SerialProblemCode =
  | 'SERIAL_DUPLICATE'
  | 'SERIAL_IN_STOCK'
  | 'SERIAL_NOT_IN_STOCK'
  | 'SERIAL_NOT_HERE';

export interface SerialProblem {
  /** Position of the serial in the list checked. */
  index: number;
  serial: string;
  code: SerialProblemCode;
  message: string;
}

/** Where the register says each serial of one item is (undefined: never moved). */
export type SerialLookup = (
  serial: string,
) => Pick<SerialState, 'inStock' | 'warehouseId' | 'locationId'> | undefined;

/** A serial is unique per item: the second and later occurrences in one list are duplicates. */
export function duplicateSerials(serials: readonly string[]): SerialProblem[] {
  const seen = new Set<string>();
  return serials.flatMap((serial, index) => {
    if (!seen.has(serial)) {
      seen.add(serial);
      return [];
    }
    return [{ index, serial, code: 'SERIAL_DUPLICATE' as const, message: `${serial} is listed twice` }];
  });
}

/** Receiving serials: none twice, none already in stock (a serial is in one place at a time). */
export function checkReceipt(serials: readonly string[], lookup: SerialLookup): SerialProblem[] {
  return [
    ...duplicateSerials(serials),
    ...serials.flatMap((serial, index) =>
      lookup(serial)?.inStock
        ? [{ index, serial, code: 'SERIAL_IN_STOCK' as const, message: `${serial} is already in stock` }]
        : [],
    ),
  ].sort((a, b) => a.index - b.index);
}

/** Delivering specific serials: each in stock, and where the delivery takes it from when given. */
export function checkDelivery(
  serials: readonly string[],
  lookup: SerialLookup,
  from: { warehouseId?: string; locationId?: string } = {},
): SerialProblem[] {
  const problems = duplicateSerials(serials);
  serials.forEach((serial, index) => {
    const at = lookup(serial);
    if (!at?.inStock)
      problems.push({ index, serial, code: 'SERIAL_NOT_IN_STOCK', message: `${serial} is not in stock` });
    else if (
      (from.warehouseId && at.warehouseId !== from.warehouseId) ||
      (from.locationId && at.locationId !== from.locationId)
    )
      problems.push({ index, serial, code: 'SERIAL_NOT_HERE', message: `${serial} is in stock elsewhere` });
  });
  return problems.sort((a, b) => a.index - b.index);
}
