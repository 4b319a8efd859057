// <insights-queues>: the anomaly queue (each record's score and the explanation of what made it
// unusual, a link to the record, confirm or dismiss), the expense and item category suggestions
// (confidence and the words that weighed; accepting makes project-costing's or warehouses' own call
// as this user, dismissing hides the suggestion) and the duplicate queue (partners and transactions with their similarity
// and a merge suggestion; nothing is merged from here).
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles } from '@erp/sdk/ui';
import { html, nothing } from 'lit';
import { type CategorySuggestion, reviewTable } from './review.js';

const BASE = '/api/v1/p/ai-insights';

interface FeatureScore {
  feature: string;
  value: string;
  median: string;
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
  explanation: string;
  feedback: string | null;
  link: string;
}
interface ExpenseSuggestion extends CategorySuggestion {
  expenseId: string;
  description: string | null;
  amount: string;
  currency: string;
  incurredOn: string;
}
interface ItemSuggestion extends CategorySuggestion {
  itemId: string;
  sku: string;
  name: string;
}
/** Where each kind's category suggestions are listed (dismissed at `${BASE}/<kind>/:id/dismiss`). */
const REVIEWS = {
  expenses: `${BASE}/expenses/suggestions`,
  items: `${BASE}/items/category-suggestions`,
};
type Kind = keyof typeof REVIEWS;
type Suggestions = { expenses?: ExpenseSuggestion[]; items?: ItemSuggestion[] };
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
    review: { state: true },
    reviewNote: { state: true },
    accepted: { state: true },
    problem: { state: true },
  };
  declare anomalies?: AnomalyRow[];
  declare partners?: Pair[];
  declare items?: Pair[];
  declare transactions?: Pair[];
  declare review: Suggestions;
  /** Why there are no suggestions of a kind to show (e.g. too few categorised lines yet). */
  declare reviewNote: Partial<Record<Kind, string>>;
  /** Categories set from here, by record id, until the record's event takes it off the list. */
  declare accepted?: Record<string, string>;
  declare problem?: ApiProblem;

  constructor() {
    super();
    this.review = {};
    this.reviewNote = {};
  }

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
      await Promise.all([this.loadReview('expenses'), this.loadReview('items')]);
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

  /**
   * Suggestions are optional here: project-costing may be absent, warehouses older than item events,
   * or too few lines labelled yet (then the reason is shown instead of the table).
   */
  private async loadReview(kind: Kind) {
    try {
      const r = await this.call<{ suggestions: never[] }>(REVIEWS[kind]);
      this.review = { ...this.review, [kind]: r.suggestions };
      this.reviewNote = { ...this.reviewNote, [kind]: undefined };
    } catch (err) {
      this.review = { ...this.review, [kind]: [] };
      this.reviewNote = { ...this.reviewNote, [kind]: (err as ApiProblem).message };
    }
  }

  /** The user's own call to the owning plugin, with their own permission (the server only names it). */
  private async accept(id: string, s: CategorySuggestion) {
    if (!s.apply) return;
    try {
      await this.call(s.apply.path, { method: s.apply.method, body: s.apply.body });
      this.accepted = { ...this.accepted, [id]: s.apply.body.category };
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async dismiss(kind: Kind, id: string) {
    try {
      await this.call(`${BASE}/${kind}/${id}/dismiss`, { method: 'POST', body: {} });
      await this.loadReview(kind);
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private reviewTables(canWrite: boolean) {
    const common = { can: (p: string) => this.can(p), canDismiss: canWrite };
    return html`${reviewTable(this.review.expenses ?? [], {
      ...common,
      caption: 'Expense categories to review',
      part: 'expenses',
      empty: this.reviewNote.expenses ?? 'No expense waiting for a category.',
      columns: [
        { label: 'Expense', value: (s) => s.description ?? '(no description)' },
        { label: 'Date', value: (s) => s.incurredOn },
        { label: 'Amount', numeric: true, value: (s) => `${s.amount} ${s.currency}` },
      ],
      accepted: (s) => this.accepted?.[s.expenseId],
      accept: (s) => this.accept(s.expenseId, s),
      dismiss: (s) => this.dismiss('expenses', s.expenseId),
    })}
    ${reviewTable(this.review.items ?? [], {
      ...common,
      caption: 'Item categories to review',
      part: 'item-categories',
      empty: this.reviewNote.items ?? 'No item waiting for a category.',
      columns: [
        { label: 'SKU', value: (s) => s.sku },
        { label: 'Item', value: (s) => s.name },
      ],
      accepted: (s) => this.accepted?.[s.itemId],
      accept: (s) => this.accept(s.itemId, s),
      dismiss: (s) => this.dismiss('items', s.itemId),
    })}`;
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
    const why = (r: AnomalyRow) => r.explanation;
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
      ${this.reviewTables(canWrite)}
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
