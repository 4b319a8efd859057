// A data table as a lit template: a caption, column headers with scope, numbers right-aligned and
// negatives marked. Values are rendered as text by lit, never parsed as HTML.
import { html, nothing, type TemplateResult } from 'lit';

export interface Column<R> {
  label: string;
  value: (row: R) => unknown;
  numeric?: boolean;
}

export function dataTable<R>(
  columns: readonly Column<R>[],
  rows: readonly R[],
  o: { caption: string; part?: string; empty?: string; hideCaption?: boolean },
): TemplateResult {
  if (rows.length === 0)
    return html`<p class="status" part=${o.part ?? nothing}>${o.empty ?? `${o.caption}: none.`}</p>`;
  const cell = (c: Column<R>, row: R) => {
    const v = c.value(row);
    const text = v === null || v === undefined ? '' : String(v);
    const cls = c.numeric ? (text.startsWith('-') ? 'num neg' : 'num') : '';
    return html`<td class=${cls || nothing}>${text}</td>`;
  };
  return html`<table part=${o.part ?? nothing}>
    <caption class=${o.hideCaption ? 'visually-hidden' : nothing}>${o.caption}</caption>
    <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.numeric ? 'num' : nothing}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr>${columns.map((c) => cell(c, r))}</tr>`)}</tbody>
  </table>`;
}
