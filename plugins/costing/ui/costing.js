// <costing-valuation-report>: quantity and value of stock per item and warehouse, now or at a date,
// as a table and a bar chart (inline SVG, one bar per row, scaled to the largest value). The shell
// sets the `api` property to a fetch function that adds the user's credentials; the element never
// sees a token. Set the `as-of` attribute (ISO 8601) for the valuation at a date. Data is written
// with textContent and SVG attributes only, never parsed as HTML.
const SVG = 'http://www.w3.org/2000/svg';

const STYLE = `
  :host { display: block; font: 14px/1.4 system-ui, sans-serif; color: #1f2933; }
  h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
  .total { margin: .25rem 0 .75rem; }
  table { border-collapse: collapse; width: 100%; margin-top: .75rem; }
  th, td { padding: .25rem .5rem; border-bottom: 1px solid #d9e2ec; text-align: left; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  svg { width: 100%; max-width: 720px; display: block; }
  .bar { fill: #2f80ed; }
  .bar.negative { fill: #d64545; }
  .label { font-size: 12px; fill: #1f2933; }
  .empty, .error { color: #52606d; }
  .error { color: #d64545; }
`;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

const svg = (tag, attrs = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

const short = (id) => (id ? `${id.slice(0, 8)}…` : '');

class ValuationReport extends HTMLElement {
  static observedAttributes = ['as-of'];

  set api(fetcher) {
    this._api = fetcher;
    this.load();
  }

  get api() {
    return this._api;
  }

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: 'open' });
      this.shadowRoot.append(
        el('style', { textContent: STYLE }),
        el('h2', { textContent: 'Stock valuation' }),
        el('div', { part: 'body' }),
      );
    }
    if (this._api) this.load();
  }

  attributeChangedCallback() {
    if (this._api && this.shadowRoot) this.load();
  }

  async load() {
    if (!this.shadowRoot || !this._api) return;
    const body = this.shadowRoot.querySelector('[part=body]');
    this.dataset.state = 'loading';
    const asOf = this.getAttribute('as-of');
    try {
      const res = await this._api(
        `/api/v1/p/costing/valuation${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
      );
      if (!res.ok) throw new Error(`the valuation could not be loaded (${res.status})`);
      const report = await res.json();
      body.replaceChildren(...this.render(report));
      this.dataset.state = 'ready';
    } catch (err) {
      body.replaceChildren(el('p', { className: 'error', textContent: String(err.message ?? err) }));
      this.dataset.state = 'error';
    }
  }

  render(report) {
    const rows = report.rows ?? [];
    const heading = el('p', { className: 'total' });
    heading.append(
      `Total value ${report.totalValue}`,
      report.asOf ? ` at ${report.asOf}` : '',
      ` — ${rows.length} item${rows.length === 1 ? '' : 's'} × warehouse`,
    );
    if (!rows.length) return [heading, el('p', { className: 'empty', textContent: 'No stock valued.' })];
    return [heading, this.chart(rows), this.table(rows)];
  }

  chart(rows) {
    // Bars to scale from zero; values are decimal strings, and Number() is only for drawing.
    const values = rows.map((r) => Number(r.value));
    const max = Math.max(...values.map(Math.abs), 1e-9);
    const barH = 22;
    const gap = 6;
    const left = 170;
    const width = 720;
    const chart = svg('svg', {
      viewBox: `0 0 ${width} ${rows.length * (barH + gap)}`,
      role: 'img',
      'aria-label': 'Stock value per item and warehouse',
      part: 'chart',
    });
    rows.forEach((r, i) => {
      const y = i * (barH + gap);
      const w = Math.max(1, (Math.abs(values[i]) / max) * (width - left - 90));
      const label = svg('text', { x: 0, y: y + barH * 0.7, class: 'label' });
      label.textContent = `${r.sku ?? short(r.itemId)} · ${short(r.warehouseId)}`;
      const bar = svg('rect', {
        x: left,
        y,
        width: w.toFixed(2),
        height: barH,
        class: values[i] < 0 ? 'bar negative' : 'bar',
        'data-value': r.value,
      });
      const title = svg('title');
      title.textContent = `${r.sku ?? r.itemId}: ${r.qty} on hand, value ${r.value}`;
      bar.append(title);
      const amount = svg('text', { x: left + w + 6, y: y + barH * 0.7, class: 'label' });
      amount.textContent = r.value;
      chart.append(label, bar, amount);
    });
    return chart;
  }

  table(rows) {
    const head = el('tr');
    for (const [text, num] of [
      ['Item', false],
      ['Warehouse', false],
      ['Method', false],
      ['Quantity', true],
      ['Value', true],
      ['Unit cost', true],
      ['Waiting', true],
    ])
      head.append(el('th', { textContent: text, className: num ? 'num' : '' }));
    const body = el('tbody');
    for (const r of rows) {
      const tr = el('tr');
      tr.dataset.item = r.itemId;
      tr.dataset.warehouse = r.warehouseId;
      tr.append(
        el('td', { textContent: r.sku ?? r.itemId }),
        el('td', { textContent: short(r.warehouseId), title: r.warehouseId }),
        el('td', { textContent: r.method }),
        el('td', { textContent: r.qty, className: 'num' }),
        el('td', { textContent: r.value, className: 'num' }),
        el('td', { textContent: r.unitCost ?? '—', className: 'num' }),
        el('td', { textContent: String(r.waiting ?? 0), className: 'num' }),
      );
      body.append(tr);
    }
    return el('table', { part: 'table' }, el('thead', {}, head), body);
  }
}

customElements.define('costing-valuation-report', ValuationReport);
