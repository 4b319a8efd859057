// How a lot's and a serial's trace are shown: facts, where it came from, where it went, its moves.
import { type Column, dataTable } from '@erp/sdk/ui';
import { html } from 'lit';

export interface TraceMove {
  seq: number;
  effectiveAt: string;
  kind: string;
  locationId: string;
  qty: string;
  partner: string | null;
  reference: string | null;
  /** The lot's expiry state on the day it moved out ('alert', 'removal', 'expired'), else null. */
  expiryStatus?: string | null;
  /** Learnt before its lot's arrival: flagged until resolved (POST /moves/:moveId/resolve). */
  learntEarly?: boolean;
  cancels?: string | null;
  cancelledBy?: string | null;
}
export interface LotTrace {
  lot: {
    code: string;
    sku: string;
    expiresOn: string | null;
    removalOn?: string | null;
    alertOn?: string | null;
    /** Today's expiry state from the rules library: ok, alert, removal or expired. */
    expiryStatus?: string;
    status: string;
    onHand: string;
  };
  suppliers: Array<{ supplier: string | null; reference: string | null; qty: string; receivedAt: string }>;
  customers: Array<{ customer: string | null; issued: string; returned: string; outstanding: string }>;
  moves: TraceMove[];
}
export interface SerialTrace {
  serial: {
    serial: string;
    sku: string;
    inStock: boolean;
    supplier: string | null;
    receivedAt: string | null;
    customer: string | null;
    deliveredAt: string | null;
    warranty: { startsOn: string | null; endsOn: string | null; status: string };
  };
  moves: TraceMove[];
}

const MOVES: Column<TraceMove>[] = [
  { label: '#', value: (m) => m.seq, numeric: true },
  { label: 'Date', value: (m) => m.effectiveAt.slice(0, 10) },
  { label: 'Kind', value: (m) => m.kind },
  { label: 'Location', value: (m) => m.locationId },
  { label: 'Quantity', value: (m) => m.qty, numeric: true },
  { label: 'Partner', value: (m) => m.partner },
  { label: 'Reference', value: (m) => m.reference },
  {
    label: 'Flag',
    value: (m) =>
      m.cancels
        ? 'cancels a move'
        : m.cancelledBy
          ? 'cancelled'
          : [
              m.expiryStatus ? `lot ${FLAG[m.expiryStatus]}` : '',
              m.learntEarly ? 'learnt before its receipt' : '',
            ]
              .filter(Boolean)
              .join('; ') || null,
  },
];

const FLAG: Record<string, string> = {
  ok: 'ok',
  alert: 'past alert date',
  removal: 'due for removal',
  expired: 'expired',
};

/** The lot's expiry flag in words, with the date it turned. */
const expiryFlag = (lot: LotTrace['lot']) => {
  const s = lot.expiryStatus ?? 'ok';
  const since =
    s === 'expired' ? lot.expiresOn : s === 'removal' ? lot.removalOn : s === 'alert' ? lot.alertOn : null;
  return since ? `${FLAG[s]} since ${since}` : (FLAG[s] ?? s);
};

const facts = (pairs: Array<[string, string | null | undefined]>) =>
  html`<dl part="summary">${pairs.map(([k, v]) => html`<dt>${k}</dt><dd>${v ?? '—'}</dd>`)}</dl>`;

export const lotView = ({ lot, suppliers, moves, customers }: LotTrace) =>
  html`<h3 data-expiry=${lot.expiryStatus ?? 'ok'}>Lot ${lot.code} of ${lot.sku}</h3>
    ${facts([
      ['Expires', lot.expiresOn],
      ['Expiry', expiryFlag(lot)],
      ['Status', lot.status],
      ['On hand', lot.onHand],
    ])}
    ${dataTable(
      [
        { label: 'Supplier', value: (s) => s.supplier },
        { label: 'Reference', value: (s) => s.reference },
        { label: 'Quantity', value: (s) => s.qty, numeric: true },
        { label: 'Received', value: (s) => s.receivedAt.slice(0, 10) },
      ],
      suppliers,
      { caption: 'Came from', part: 'suppliers', empty: 'No supplier recorded.' },
    )}
    ${dataTable(
      [
        { label: 'Customer', value: (c) => c.customer },
        { label: 'Issued', value: (c) => c.issued, numeric: true },
        { label: 'Returned', value: (c) => c.returned, numeric: true },
        { label: 'Outstanding', value: (c) => c.outstanding, numeric: true },
      ],
      customers,
      { caption: 'Reached', part: 'customers', empty: 'Not issued to any customer.' },
    )}
    ${dataTable(MOVES, moves, { caption: 'Moves', part: 'moves' })}`;

export const serialView = ({ serial, moves }: SerialTrace) => {
  const w = serial.warranty;
  return html`<h3>Serial ${serial.serial} of ${serial.sku}</h3>
    ${facts([
      ['In stock', serial.inStock ? 'yes' : 'no'],
      ['Supplier', serial.supplier],
      ['Received', serial.receivedAt?.slice(0, 10)],
      ['Customer', serial.customer],
      ['Delivered', serial.deliveredAt?.slice(0, 10)],
      ['Warranty', w.startsOn ? `${w.startsOn} – ${w.endsOn} (${w.status})` : 'none'],
    ])}
    ${dataTable(MOVES, moves, { caption: 'Moves', part: 'moves' })}`;
};
