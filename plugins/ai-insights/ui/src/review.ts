// The table of category suggestions to review, shared by expenses and items: the record, the
// suggestion with its confidence (or "not sure" with the likeliest ones), the words that weighed,
// and Accept (the owning plugin's call, enabled only with its permission) / Dismiss.
import { html, nothing, type TemplateResult } from 'lit';

export interface CategorySuggestion {
  category: string | null;
  confidence: number;
  ranked: { label: string; p: number }[];
  because: string[];
  apply: { method: 'PUT' | 'PATCH'; path: string; permission: string; body: { category: string } } | null;
}

export interface Review<S> {
  caption: string;
  part: string;
  /** Shown instead of an empty table (or why there is nothing: too few labelled lines). */
  empty: string;
  /** The record's own columns, before the suggestion. */
  columns: { label: string; numeric?: boolean; value: (s: S) => string }[];
  accepted: (s: S) => string | undefined;
  can: (permission: string) => boolean;
  canDismiss: boolean;
  accept: (s: S) => void;
  dismiss: (s: S) => void;
}

const percent = (p: number) => `${Math.round(p * 100)}%`;

export function reviewTable<S extends CategorySuggestion>(rows: S[], r: Review<S>): TemplateResult {
  if (!rows.length) return html`<p class="status" part=${r.part}>${r.empty}</p>`;
  const suggestion = (s: S) =>
    s.category
      ? `${s.category} (${percent(s.confidence)})`
      : `not sure: ${s.ranked.map((x) => `${x.label} ${percent(x.p)}`).join(', ') || 'nothing to read'}`;
  const decision = (s: S) => {
    const done = r.accepted(s);
    if (done) return `Accepted: ${done}`;
    return html`${
      s.apply
        ? html`<button type="button" ?disabled=${!r.can(s.apply.permission)} @click=${() => r.accept(s)}>
            Accept ${s.apply.body.category}
          </button>`
        : nothing
    }
      <button type="button" class="secondary" ?disabled=${!r.canDismiss} @click=${() => r.dismiss(s)}>Dismiss</button>`;
  };
  return html`<table part=${r.part}>
    <caption>${r.caption}</caption>
    <thead><tr>${r.columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}
      <th scope="col">Suggestion</th><th scope="col">Words that weighed</th><th scope="col">Decision</th></tr></thead>
    <tbody>${rows.map(
      (s) => html`<tr>
        ${r.columns.map((c) => html`<td class=${c.numeric ? 'num' : ''}>${c.value(s)}</td>`)}
        <td>${suggestion(s)}</td>
        <td>${s.because.join(', ')}</td>
        <td>${decision(s)}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}
