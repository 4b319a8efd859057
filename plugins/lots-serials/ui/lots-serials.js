// The plugin's UI module (erp.ui.module): <lots-serials-trace item-id lot> traces a lot (its
// suppliers, every move, the customers it reached) and <lots-serials-trace item-id serial> a serial
// number (its receipt and supplier, its customer, its warranty, every move). The shell sets `api`
// to a fetch function that adds the user's credentials; data is written with textContent only.
const STYLE = `
  :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
  th, td { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
  dt { color: #555; }
  [part=status].error { color: #a00; }
`;

const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function table(part, columns, rows) {
  const head = el(
    'tr',
    {},
    columns.map(([label]) => el('th', { textContent: label })),
  );
  const body = rows.map((row) =>
    el(
      'tr',
      {},
      columns.map(([, key, numeric]) => {
        const v = typeof key === 'function' ? key(row) : row[key];
        return el('td', { textContent: v ?? '', className: numeric ? 'num' : '' });
      }),
    ),
  );
  const t = el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]);
  t.setAttribute('part', part);
  return t;
}

function facts(part, pairs) {
  const dl = el(
    'dl',
    {},
    pairs.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v ?? '—' })]),
  );
  dl.setAttribute('part', part);
  return dl;
}

const MOVES = [
  ['#', 'seq', true],
  ['Date', (m) => m.effectiveAt.slice(0, 10)],
  ['Kind', 'kind'],
  ['Location', 'locationId'],
  ['Quantity', 'qty', true],
  ['Partner', 'partner'],
  ['Reference', 'reference'],
];

class LotSerialTrace extends HTMLElement {
  static observedAttributes = ['item-id', 'lot', 'serial'];

  set api(fetcher) {
    this._api = fetcher;
    this.refresh();
  }
  get api() {
    return this._api;
  }
  connectedCallback() {
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
    this.refresh();
  }
  attributeChangedCallback() {
    this.refresh();
  }

  show(...nodes) {
    this.shadowRoot.replaceChildren(el('style', { textContent: STYLE }), ...nodes);
  }

  async refresh() {
    if (!this.shadowRoot || !this._api) return;
    const item = this.getAttribute('item-id');
    const lot = this.getAttribute('lot');
    const serial = this.getAttribute('serial');
    if (!item || (!lot && !serial))
      return this.show(el('p', { textContent: 'Choose an item and a lot or serial number.' }));
    const path = lot
      ? `/api/v1/p/lots-serials/trace/lots/${encodeURIComponent(item)}/${encodeURIComponent(lot)}`
      : `/api/v1/p/lots-serials/trace/serials/${encodeURIComponent(item)}/${encodeURIComponent(serial)}`;
    let res;
    let body;
    try {
      res = await this._api(path);
      body = await res.json();
    } catch (err) {
      return this.show(
        el('p', { textContent: `Cannot reach the server: ${err.message}`, className: 'error' }),
      );
    }
    if (!res.ok) {
      const p = el('p', {
        textContent: `${body.title ?? 'Error'}${body.detail ? `: ${body.detail}` : ''}`,
        className: 'error',
      });
      p.setAttribute('part', 'status');
      return this.show(p);
    }
    if (lot) return this.showLot(body);
    return this.showSerial(body);
  }

  showLot({ lot, suppliers, moves, customers }) {
    this.show(
      el('h3', { textContent: `Lot ${lot.code} of ${lot.sku}` }),
      facts('summary', [
        ['Expires', lot.expiresOn],
        ['Status', lot.status],
        ['On hand', lot.onHand],
      ]),
      el('h4', { textContent: 'Came from' }),
      table(
        'suppliers',
        [
          ['Supplier', 'supplier'],
          ['Reference', 'reference'],
          ['Quantity', 'qty', true],
          ['Received', (s) => s.receivedAt.slice(0, 10)],
        ],
        suppliers,
      ),
      el('h4', { textContent: 'Reached' }),
      table(
        'customers',
        [
          ['Customer', 'customer'],
          ['Issued', 'issued', true],
          ['Returned', 'returned', true],
          ['Outstanding', 'outstanding', true],
        ],
        customers,
      ),
      el('h4', { textContent: 'Moves' }),
      table('moves', MOVES, moves),
    );
  }

  showSerial({ serial, moves }) {
    const w = serial.warranty;
    this.show(
      el('h3', { textContent: `Serial ${serial.serial} of ${serial.sku}` }),
      facts('summary', [
        ['In stock', serial.inStock ? 'yes' : 'no'],
        ['Supplier', serial.supplier],
        ['Received', serial.receivedAt?.slice(0, 10)],
        ['Customer', serial.customer],
        ['Delivered', serial.deliveredAt?.slice(0, 10)],
        ['Warranty', w.startsOn ? `${w.startsOn} – ${w.endsOn} (${w.status})` : 'none'],
      ]),
      el('h4', { textContent: 'Moves' }),
      table('moves', MOVES, moves),
    );
  }
}

customElements.define('lots-serials-trace', LotSerialTrace);
