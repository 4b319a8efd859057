// <integrations-imports>: bring a CSV or XLSX file into a target (items, locations, opening stock,
// whatever is importable). The file is uploaded in chunks with its SHA-256, checked by the server
// (a dry run: nothing is written), and the preview names every bad cell by row and column; the
// user fixes the file and uploads it again, or commits (all rows, or only the valid ones). Progress
// shows while the server parses and applies; the history lists earlier imports, with rollback.
import {
  ApiProblem,
  type Column,
  dataTable,
  ErpPluginElement,
  erpStyles,
  fieldErrorText,
  formField,
} from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';
import { BASE, CHUNK_BYTES, saveFile, sha256Hex, sleep, toBase64 } from './files.js';

interface Target {
  name: string;
  title: string;
  fields: string[];
  /** false: the target cannot undo an import (servers that say so). */
  rollback?: boolean;
}
interface Import {
  id: string;
  target: string;
  filename: string;
  status: string;
  mode: string | null;
  totalRows: number;
  validatedRows: number;
  invalidRows: number;
  appliedRows: number;
  failedRows: number;
  batches: number;
  batchesApplied: number;
  error: { message?: string } | string | null;
  createdAt: string;
}
interface CellError {
  row: number;
  column: string | null;
  field: string;
  message: string;
}
interface StagedRow {
  row: number;
  errors: CellError[];
}

const WRITE = 'integrations.imports.write';
const BUSY = ['uploading', 'parsing', 'validating', 'committing', 'rolling-back'];

export class ImportsElement extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      form { display: grid; gap: .5rem; max-width: 40rem; }
      progress { width: 100%; max-width: 30rem; }
    `,
  ];
  static override properties = {
    targets: { state: true },
    target: { state: true },
    file: { state: true },
    current: { state: true },
    cellErrors: { state: true },
    history: { state: true },
    step: { state: true },
    problem: { state: true },
  };
  declare targets?: Target[];
  declare target: string;
  declare file?: File;
  declare current?: Import;
  declare cellErrors?: CellError[];
  declare history?: Import[];
  /** What the element is doing now, in words (also the progress label). */
  declare step: string;
  declare problem?: ApiProblem;

  constructor() {
    super();
    this.target = '';
    this.step = '';
  }

  protected override async load(): Promise<void> {
    try {
      this.targets ??= (await this.call<{ targets: Target[] }>(`${BASE}/import-targets`)).targets;
      this.history = (await this.call<{ imports: Import[] }>(`${BASE}/imports`)).imports;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  /** Follows an import until it leaves the busy states, showing its progress. */
  private async follow(id: string): Promise<Import> {
    for (;;) {
      const imp = await this.call<Import>(`${BASE}/imports/${id}`);
      this.current = imp;
      if (!BUSY.includes(imp.status)) return imp;
      await sleep(300);
    }
  }

  private async check(e: Event): Promise<void> {
    e.preventDefault();
    const file = this.file;
    if (!this.target || !file) {
      this.problem = new ApiProblem(
        0,
        'FORM_INCOMPLETE',
        'Choose what to import into and a file first',
        undefined,
      );
      return;
    }
    this.problem = undefined;
    this.cellErrors = undefined;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
      this.step = 'Uploading';
      const started = await this.call<Import & { existing: boolean }>(`${BASE}/imports`, {
        body: {
          target: this.target,
          filename: file.name,
          format: /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv',
          sha256: await sha256Hex(bytes.buffer),
          size: bytes.length,
          chunks,
        },
      });
      if (!started.existing || started.status === 'uploading') {
        for (let n = 0; n < chunks; n++) {
          this.step = `Uploading (${n + 1} of ${chunks})`;
          await this.call(`${BASE}/imports/${started.id}/chunks/${n}`, {
            method: 'PUT',
            body: { data: toBase64(bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES)) },
          });
        }
        this.step = 'Checking every row';
        await this.call(`${BASE}/imports/${started.id}/parse`, { body: {} });
      }
      const imp = await this.follow(started.id);
      if (imp.invalidRows > 0 || imp.status === 'failed') {
        const rows = (
          await this.call<{ rows: StagedRow[] }>(`${BASE}/imports/${imp.id}/rows`, {
            query: { status: 'invalid', limit: 200 },
          })
        ).rows;
        this.cellErrors = rows.flatMap((r) => r.errors);
      }
      this.step = '';
      await this.load();
    } catch (err) {
      this.step = '';
      this.problem = err as ApiProblem;
    }
  }

  private async commit(mode: 'all' | 'per-row'): Promise<void> {
    const imp = this.current;
    if (!imp) return;
    try {
      this.step = 'Importing';
      await this.call(`${BASE}/imports/${imp.id}/commit`, { body: { mode } });
      const done = await this.follow(imp.id);
      this.step = '';
      this.notify(`Imported ${done.appliedRows} row(s)`, 'success');
      await this.load();
    } catch (err) {
      this.step = '';
      this.problem = err as ApiProblem;
    }
  }

  private async rollback(imp: Import): Promise<void> {
    if (!confirm(`Remove what the import of ${imp.filename} created?`)) return;
    try {
      await this.call(`${BASE}/imports/${imp.id}/rollback`, { method: 'POST' });
      await this.follow(imp.id);
      this.notify('Import rolled back', 'success');
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async template(): Promise<void> {
    try {
      const t = await this.call<{ filename: string; contentType: string; base64: string }>(
        `${BASE}/import-targets/${encodeURIComponent(this.target)}/template`,
      );
      saveFile([t.base64], t.filename, t.contentType);
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private renderProgress() {
    const imp = this.current;
    if (this.step && !imp) return html`<p class="status" role="status">${this.step}…</p>`;
    if (!imp) return nothing;
    const committing = imp.status === 'committing';
    const [value, max] = committing
      ? [imp.batchesApplied, Math.max(imp.batches, 1)]
      : [imp.validatedRows, Math.max(imp.totalRows, 1)];
    // validatedRows counts the rows checked so far, the invalid ones among them.
    const valid = imp.validatedRows - imp.invalidRows;
    return html`<section part="preview" aria-labelledby="preview-title">
      <h3 id="preview-title">${imp.filename}: ${imp.status}</h3>
      ${BUSY.includes(imp.status) ? html`<progress aria-label=${this.step || imp.status} value=${value} max=${max}></progress>` : nothing}
      <p class="status" role="status" part="summary">${imp.totalRows} row(s): ${valid} valid, ${imp.invalidRows} with errors${
        imp.status === 'committed' ? html`; ${imp.appliedRows} imported` : nothing
      }.</p>
      ${
        this.cellErrors?.length
          ? dataTable(
              [
                { label: 'Row', value: (c) => c.row, numeric: true },
                { label: 'Column', value: (c) => c.column ?? `(${c.field})` },
                { label: 'Problem', value: (c) => fieldErrorText(c.column ?? c.field, c.message) },
              ] as Column<CellError>[],
              this.cellErrors,
              { caption: 'Rows with errors (nothing was imported)', part: 'row-errors' },
            )
          : nothing
      }
      ${
        imp.status === 'validated' && this.can(WRITE)
          ? html`<div class="toolbar">
              ${imp.invalidRows === 0 ? html`<button type="button" @click=${() => this.commit('all')}>Import ${valid} row(s)</button>` : html`<p>Fix the rows above and upload the file again, or import only the valid rows.</p>`}
              ${imp.invalidRows > 0 && valid > 0 ? html`<button type="button" class="secondary" @click=${() => this.commit('per-row')}>Import only the ${valid} valid row(s)</button>` : nothing}
            </div>`
          : nothing
      }
    </section>`;
  }

  override render() {
    const write = this.can(WRITE);
    const columns: Column<Import>[] = [
      { label: 'Started', value: (i) => i.createdAt.replace('T', ' ').slice(0, 19) },
      { label: 'File', value: (i) => i.filename },
      { label: 'Target', value: (i) => i.target },
      { label: 'Status', value: (i) => i.status },
      { label: 'Rows', value: (i) => i.totalRows, numeric: true },
      { label: 'Imported', value: (i) => i.appliedRows, numeric: true },
    ];
    return html`<h2>Import</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${
        write && this.targets
          ? html`<form part="upload" @submit=${this.check} novalidate aria-label="Upload a file to import">
              ${formField({
                id: 'target',
                label: 'Import into',
                type: 'select',
                value: this.target,
                required: true,
                options: this.targets.map((t) => ({ value: t.name, label: t.title })),
                onInput: (v) => {
                  this.target = v;
                },
              })}
              ${
                this.target
                  ? html`<p class="hint">Columns: ${this.targets.find((t) => t.name === this.target)?.fields.join(', ')}
                <button type="button" class="secondary" @click=${this.template}>Download a template</button></p>`
                  : nothing
              }
              <div class="field"><label for="file">File (CSV or XLSX)</label>
                <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  @change=${(e: Event) => {
                    this.file = (e.target as HTMLInputElement).files?.[0];
                  }} /></div>
              <div><button type="submit" ?disabled=${!!this.step}>Upload and check</button></div>
            </form>`
          : nothing
      }
      ${this.renderProgress()}
      <section aria-labelledby="history-title"><h3 id="history-title">History</h3>
      ${
        this.history
          ? html`${dataTable(columns, this.history, { caption: 'Earlier imports', hideCaption: true, empty: 'No imports yet.', part: 'history' })}
            ${
              write
                ? html`<ul>${this.history
                    .filter(
                      (i) =>
                        i.status === 'committed' &&
                        this.targets?.find((t) => t.name === i.target)?.rollback !== false,
                    )
                    .map(
                      (i) =>
                        html`<li>${i.filename} <button type="button" class="secondary" aria-label=${`Roll back ${i.filename}`} @click=${() => this.rollback(i)}>Roll back</button></li>`,
                    )}</ul>`
                : nothing
            }`
          : this.problem
            ? nothing
            : html`<p class="status">Loading…</p>`
      }</section>`;
  }
}

customElements.define('integrations-imports', ImportsElement);
