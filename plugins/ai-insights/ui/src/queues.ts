// <insights-queues>: the anomaly queue (each record's score and the features that made it
// unusual, a link to the record, confirm or dismiss) and the duplicate queue (partners and
// transactions with their similarity and a merge suggestion; nothing is merged from here).
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles } from '@erp/sdk/ui';
import { html, nothing } from 'lit';

const BASE = '/api/v1/p/ai-insights';

interface FeatureScore {
  feature: string;
  value: number;
  median: number;
  z: number;
}
interface AnomalyRow {
  recordId: string;
  kind: string;
  sku: string | null;
  partner: string | null;
  effectiveAt: string;
  score: number;
  unusual: FeatureScore[];
  feedback: string | null;
  link: string;
}
interface Pair {
  a: string;
  b: string;
  score: number;
  reasons: string[];
  suggestion: { note: string };
}

const round = (v: number) => (Math.round(v * 100) / 100).toString();

export class InsightsQueues extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties = {
    anomalies: { state: true },
    partners: { state: true },
    items: { state: true },
    transactions: { state: true },
    problem: { state: true },
  };
  declare anomalies?: AnomalyRow[];
  declare partners?: Pair[];
  declare items?: Pair[];
  declare transactions?: Pair[];
  declare problem?: ApiProblem;

  override async load(): Promise<void> {
    this.dataset.state = 'loading';
    try {
      const [a, d] = await Promise.all([
        this.call<{ anomalies: AnomalyRow[] }>(`${BASE}/anomalies`),
        this.call<{ partners: Pair[]; transactions: Pair[] }>(`${BASE}/duplicates`),
      ]);
      // Items are named only in the warehouses catalogue: read it with the user's own permission and
      // have the names compared (nothing is stored or merged).
      if (this.can('warehouses.stock.read')) {
        const list = await this.call<{
          items: { id: string; sku: string; name: string; createdAt: string }[];
        }>('/api/v1/p/warehouses/items', { query: { limit: 1000 } });
        const byId = new Map(list.items.map((i) => [i.id, i.sku]));
        const found = await this.call<{ pairs: Pair[] }>(`${BASE}/duplicates/records`, {
          method: 'POST',
          body: {
            records: list.items.map((i) => ({ id: i.id, name: i.name, code: i.sku, createdAt: i.createdAt })),
          },
        });
        const sku = (id: string) => byId.get(id) ?? id;
        this.items = found.pairs.map((p) => ({
          ...p,
          a: sku(p.a),
          b: sku(p.b),
          suggestion: { note: p.suggestion.note.replaceAll(p.a, sku(p.a)).replaceAll(p.b, sku(p.b)) },
        }));
      }
      this.anomalies = a.anomalies;
      this.partners = d.partners;
      this.transactions = d.transactions;
      this.problem = undefined;
      await this.updateComplete;
      this.dataset.state = 'ready';
    } catch (err) {
      this.problem = err as ApiProblem;
      this.dataset.state = 'error';
    }
  }

  private async feedback(id: string, verdict: 'confirmed' | 'dismissed') {
    try {
      await this.call(`${BASE}/anomalies/${id}/feedback`, { method: 'POST', body: { verdict } });
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  /** dataTable renders text only; this queue needs a link and buttons per row. */
  private anomalyTable(canWrite: boolean) {
    const rows = this.anomalies ?? [];
    if (!rows.length) return html`<p class="status" part="anomalies">Nothing unusual.</p>`;
    const why = (r: AnomalyRow) =>
      r.unusual
        .map((u) => `${u.feature} ${round(u.value)} (usual ${round(u.median)}, z ${round(u.z)})`)
        .join('; ');
    return html`<table part="anomalies">
      <caption>Unusual records</caption>
      <thead><tr><th scope="col">Record</th><th scope="col">Date</th><th scope="col" class="num">Score</th>
        <th scope="col">Why</th><th scope="col">Decision</th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr>
          <td><a href=${r.link}>${r.kind} ${r.sku ?? ''}</a></td>
          <td>${r.effectiveAt.slice(0, 10)}</td>
          <td class="num">${round(r.score)}</td>
          <td>${why(r)}</td>
          <td>${
            r.feedback ??
            html`<button type="button" ?disabled=${!canWrite} @click=${() => this.feedback(r.recordId, 'confirmed')}>Confirm</button>
              <button type="button" class="secondary" ?disabled=${!canWrite} @click=${() => this.feedback(r.recordId, 'dismissed')}>
                Not an anomaly
              </button>`
          }</td>
        </tr>`,
      )}</tbody>
    </table>`;
  }

  override render() {
    const canWrite = this.can('insights.suggestions.write');
    const pairColumns: Column<Pair>[] = [
      { label: 'First', value: (p) => p.a },
      { label: 'Second', value: (p) => p.b },
      { label: 'Similarity', value: (p) => `${Math.round(p.score * 100)}%`, numeric: true },
      { label: 'Why', value: (p) => p.reasons.join('; ') },
      { label: 'Suggestion', value: (p) => p.suggestion.note },
    ];
    return html`<h2>Anomalies and duplicates</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${this.anomalyTable(canWrite)}
      ${dataTable(pairColumns, this.items ?? [], { caption: 'Possible duplicate items', part: 'items', empty: 'No duplicate items.' })}
      ${dataTable(pairColumns, this.partners ?? [], { caption: 'Possible duplicate partners', part: 'partners', empty: 'No duplicate partners.' })}
      ${dataTable(pairColumns, this.transactions ?? [], {
        caption: 'Possible duplicate transactions',
        part: 'transactions',
        empty: 'No duplicate transactions.',
      })}`;
  }
}

customElements.define('insights-queues', InsightsQueues);
