// Upward and downward trace between documents, as pure functions over the tracked moves. A unit
// of traceability is a lot of an item, or one serial of an item; two documents are linked when a
// unit goes in by one and out by the other. Words as in Odoo's traceability report: **upstream**
// (trace up) goes from a document towards where its units came from (the receipts and their
// suppliers), **downstream** (trace down) towards where they went (the deliveries and their
// customers). Cancelled moves and the moves cancelling them link nothing. Because both directions
// are read off the same unit relation, they are inverse: D is downstream of R exactly when R is
// upstream of D (a property the tests check on random histories).
import { effectiveMoves } from './serials.js';

export interface TraceMove {
  moveId: string;
  seq: number;
  kind: string;
  documentId: string;
  itemId: string;
  lot: string | null;
  serials: readonly string[];
  partner?: string | null;
  cancels?: string | null;
}

/** Documents that bring units in from outside (upstream ends), and that take them out to customers. */
export const SOURCE_KINDS: ReadonlySet<string> = new Set(['receipt', 'customer-return']);
export const SINK_KINDS: ReadonlySet<string> = new Set(['issue', 'vendor-return']);

/** The units a move carries: its lot, or each of its serials. */
export function unitsOf(m: Pick<TraceMove, 'itemId' | 'lot' | 'serials'>): string[] {
  if (m.serials.length) return m.serials.map((s) => `${m.itemId}\u0000serial\u0000${s}`);
  return m.lot ? [`${m.itemId}\u0000lot\u0000${m.lot}`] : [];
}

export interface TraceLink {
  documentId: string;
  kind: string;
  partner: string | null;
  /** The units (lots or serials) shared with the document traced from. */
  lots: string[];
  serials: string[];
}

function link(
  moves: readonly TraceMove[],
  documentId: string,
  from: ReadonlySet<string>,
  to: ReadonlySet<string>,
): TraceLink[] {
  const live = effectiveMoves(moves);
  const units = new Set(
    live.filter((m) => m.documentId === documentId && from.has(m.kind)).flatMap((m) => unitsOf(m)),
  );
  const found = new Map<string, TraceLink>();
  for (const m of live) {
    if (m.documentId === documentId || !to.has(m.kind)) continue;
    const shared = unitsOf(m).filter((u) => units.has(u));
    if (!shared.length) continue;
    const l = found.get(m.documentId) ?? {
      documentId: m.documentId,
      kind: m.kind,
      partner: m.partner ?? null,
      lots: [],
      serials: [],
    };
    for (const u of shared) {
      const [, type, code] = u.split('\u0000') as [string, string, string];
      const list = type === 'lot' ? l.lots : l.serials;
      if (!list.includes(code)) list.push(code);
    }
    found.set(m.documentId, l);
  }
  return [...found.values()].sort((a, b) => (a.documentId < b.documentId ? -1 : 1));
}

/** Trace down from a document that brought units in: the documents that took them out. */
export const traceDown = (moves: readonly TraceMove[], documentId: string): TraceLink[] =>
  link(moves, documentId, SOURCE_KINDS, SINK_KINDS);

/** Trace up from a document that took units out: the documents that brought them in. */
export const traceUp = (moves: readonly TraceMove[], documentId: string): TraceLink[] =>
  link(moves, documentId, SINK_KINDS, SOURCE_KINDS);
