// Shared by this plugin's elements: a shadow root with a status line and a table built with
// textContent only (never innerHTML with data), and the API call that reads a problem+json
// refusal into a readable message. The shell sets `api` to a fetch that adds the credentials.
export const STYLE = `
  :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.neg { color: #a00; }
  [part=status] { color: #555; margin: 4px 0; }
  [part=status].error { color: #a00; }
`;

export class ApiElement extends HTMLElement {
  set api(fetcher) {
    this._api = fetcher;
    this.refresh();
  }
  get api() {
    return this._api;
  }
  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: 'open' });
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><h3 part="title"></h3><div part="status"></div><table part="table"><thead></thead><tbody></tbody></table>`;
      this.shadowRoot.querySelector('h3').textContent = this.title || this.constructor.heading;
    }
    this.refresh();
  }
  attributeChangedCallback() {
    if (this.shadowRoot) this.refresh();
  }
  status(text, error = false) {
    const s = this.shadowRoot.querySelector('[part=status]');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }
  /** GETs a path of the API and returns its JSON, or shows the refusal and returns null. */
  async get(path) {
    try {
      const res = await this._api(path);
      const body = await res.json();
      if (!res.ok) {
        this.status(`${body.title ?? 'Error'}${body.detail ? `: ${body.detail}` : ''}`, true);
        return null;
      }
      return body;
    } catch (err) {
      this.status(`Cannot reach the server: ${err.message}`, true);
      return null;
    }
  }
  /** Replaces the table: columns [label, key, numeric?], rows of objects. */
  render(columns, rows, append = false) {
    const head = this.shadowRoot.querySelector('thead');
    const tr = document.createElement('tr');
    for (const [label] of columns)
      tr.append(Object.assign(document.createElement('th'), { textContent: label }));
    head.replaceChildren(tr);
    const body = this.shadowRoot.querySelector('tbody');
    const built = rows.map((row) => {
      const r = document.createElement('tr');
      for (const [, key, numeric] of columns) {
        const value = typeof key === 'function' ? key(row) : row[key];
        const td = document.createElement('td');
        td.textContent = value ?? '';
        if (numeric) td.className = String(value).startsWith('-') ? 'num neg' : 'num';
        r.append(td);
      }
      return r;
    });
    if (append) body.append(...built);
    else body.replaceChildren(...built);
  }
}

/** Query string from attributes (attribute name → query parameter), skipping absent ones. */
export function queryOf(el, names) {
  const q = new URLSearchParams();
  for (const [attr, param] of names) {
    const v = el.getAttribute(attr);
    if (v) q.set(param, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
