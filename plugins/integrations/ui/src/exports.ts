// <integrations-exports>: choose what to export and the format, start it, follow it, and download
// the file (fetched chunk by chunk, as the API streams it out). Earlier exports stay downloadable.
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html, nothing } from 'lit';
import { BASE, saveFile, sleep } from './files.js';

interface Target {
  name: string;
  columns: string[];
}
interface Export {
  id: string;
  target: string;
  format: 'csv' | 'ndjson' | 'xlsx';
  status: string;
  rows: number;
  chunks: number;
  createdAt: string;
}

const TYPES = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export class ExportsElement extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties = {
    targets: { state: true },
    target: { state: true },
    format: { state: true },
    exports: { state: true },
    running: { state: true },
    problem: { state: true },
  };
  declare targets?: Target[];
  declare target: string;
  declare format: string;
  declare exports?: Export[];
  declare running?: Export;
  declare problem?: ApiProblem;

  constructor() {
    super();
    this.target = '';
    this.format = 'csv';
  }

  protected override async load(): Promise<void> {
    try {
      this.targets ??= (await this.call<{ targets: Target[] }>(`${BASE}/export-targets`)).targets;
      this.exports = (await this.call<{ exports: Export[] }>(`${BASE}/exports`)).exports;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async start(e: Event): Promise<void> {
    e.preventDefault();
    try {
      let exp = await this.call<Export>(`${BASE}/exports`, {
        body: { target: this.target, format: this.format },
      });
      this.problem = undefined;
      while (exp.status === 'running' || exp.status === 'writing') {
        this.running = exp;
        await sleep(300);
        exp = await this.call<Export>(`${BASE}/exports/${exp.id}`);
      }
      this.running = undefined;
      if (exp.status === 'completed') await this.download(exp);
      await this.load();
    } catch (err) {
      this.running = undefined;
      this.problem = err as ApiProblem;
    }
  }

  private async download(exp: Export): Promise<void> {
    try {
      const parts: string[] = [];
      for (let n = 0; n < exp.chunks; n++)
        parts.push((await this.call<{ base64: string }>(`${BASE}/exports/${exp.id}/chunks/${n}`)).base64);
      saveFile(parts, `${exp.target}-${exp.createdAt.slice(0, 10)}.${exp.format}`, TYPES[exp.format]);
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  override render() {
    const write = this.can('integrations.exports.write');
    const columns: Column<Export>[] = [
      { label: 'Started', value: (x) => x.createdAt.replace('T', ' ').slice(0, 19) },
      { label: 'What', value: (x) => x.target },
      { label: 'Format', value: (x) => x.format.toUpperCase() },
      { label: 'Status', value: (x) => x.status },
      { label: 'Rows', value: (x) => x.rows, numeric: true },
    ];
    return html`<h2>Export</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${
        write && this.targets
          ? html`<form part="export" @submit=${this.start} novalidate aria-label="Start an export">
              ${formField({
                id: 'export-target',
                label: 'What to export',
                type: 'select',
                value: this.target,
                required: true,
                options: this.targets.map((t) => ({ value: t.name, label: t.name })),
                error: this.problem?.fieldMessage('/body/target'),
                onInput: (v) => {
                  this.target = v;
                },
              })}
              ${formField({
                id: 'export-format',
                label: 'Format',
                type: 'select',
                value: this.format,
                required: true,
                options: [
                  { value: 'csv', label: 'CSV' },
                  { value: 'xlsx', label: 'Excel (XLSX)' },
                  { value: 'ndjson', label: 'NDJSON' },
                ],
                onInput: (v) => {
                  this.format = v;
                },
              })}
              <div><button type="submit" ?disabled=${!!this.running}>Export and download</button></div>
            </form>`
          : nothing
      }
      ${this.running ? html`<p class="status" role="status">Exporting ${this.running.target}: ${this.running.rows} row(s) so far…</p>` : nothing}
      ${
        this.exports
          ? html`${dataTable(columns, this.exports, { caption: 'Exports', hideCaption: true, empty: 'No exports yet.', part: 'exports' })}
            <ul>${this.exports
              .filter((x) => x.status === 'completed')
              .map(
                (
                  x,
                ) => html`<li>${x.target} ${x.format.toUpperCase()} ${x.createdAt.slice(0, 16).replace('T', ' ')}
                <button type="button" class="secondary" aria-label=${`Download the ${x.format} export of ${x.createdAt}`} @click=${() => this.download(x)}>Download</button></li>`,
              )}</ul>`
          : nothing
      }`;
  }
}

customElements.define('integrations-exports', ExportsElement);
