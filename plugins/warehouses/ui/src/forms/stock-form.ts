// The shared shape of the stock forms (receive, issue, transfer; and the setup forms that create
// items, warehouses and locations): one line per document, fields
// built from a list, the item's tracking mode deciding whether lot or serial fields show, and the
// server as the only judge of validity — the form sends what was typed and shows each problem+json
// field error in words next to its control (and any other refusal above the button).
import { type ApiProblem, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import {
  CATALOGUE_CHANGED,
  type Catalogue,
  type Item,
  itemOptions,
  loadCatalogue,
  locationOptions,
} from '../catalogue.js';

export interface FieldSpec {
  key: string;
  label: string;
  /** JSON pointer of the request field, as the server names it in problem+json. */
  pointer: string;
  type?: 'text' | 'date' | 'select' | 'textarea';
  options?: (c: Catalogue | undefined) => ReadonlyArray<{ value: string; label: string }>;
  required?: boolean;
  hint?: string;
  inputmode?: 'decimal';
  /** Shown only for items tracked this way. */
  tracking?: Item['tracking'];
}

export const QTY_HINT = 'a number greater than zero, e.g. 5 or 2.5';
export const LINE = '/body/lines/0';

/** A required picker of an item or a location, for the field at `pointer`. */
export const picker = (
  key: string,
  label: string,
  pointer: string,
  kind: 'item' | 'location',
): FieldSpec => ({
  key,
  label,
  pointer,
  type: 'select',
  options: kind === 'item' ? itemOptions : locationOptions,
  required: true,
});

/** The item and location pickers of a one-line document. */
export const itemAndLocation = (): FieldSpec[] => [
  picker('itemId', 'Item', `${LINE}/itemId`, 'item'),
  picker('locationId', 'Location', `${LINE}/locationId`, 'location'),
];

/** Serial numbers typed one per line or separated by commas. */
export const serialList = (text: string | undefined) =>
  (text ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Leaves out what was not filled in, so the server names a missing required field. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as Partial<T>;
}

export abstract class StockForm extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties: PropertyDeclarations = {
    catalogue: { state: true },
    values: { state: true },
    problem: { state: true },
    done: { state: true },
    busy: { state: true },
  };
  declare catalogue?: Catalogue;
  declare values: Record<string, string>;
  declare problem?: ApiProblem;
  declare done?: string;
  declare busy: boolean;

  abstract readonly heading: string;
  abstract readonly submitLabel: string;
  abstract readonly permission: string;
  abstract readonly path: string;
  abstract fields(): FieldSpec[];
  abstract body(): Record<string, unknown>;
  abstract success(result: { id: string; moves?: unknown[]; warnings?: string[] }): string;

  constructor() {
    super();
    this.values = {};
    this.busy = false;
  }

  protected override async load(): Promise<void> {
    try {
      this.catalogue = await loadCatalogue((path) => this.call(path));
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  // An item, warehouse or location created elsewhere on the page shows in the pickers at once.
  private readonly catalogueChanged = () => void this.load();
  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(CATALOGUE_CHANGED, this.catalogueChanged);
  }
  override disconnectedCallback(): void {
    document.removeEventListener(CATALOGUE_CHANGED, this.catalogueChanged);
    super.disconnectedCallback();
  }

  /** The event a successful post sends. */
  protected changedEvent = 'warehouses-stock-changed';

  protected item(): Item | undefined {
    return this.catalogue?.items.find((i) => i.id === this.values.itemId);
  }

  protected set(key: string, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  /** Fields kept after a successful post (the rest are cleared for the next document). */
  protected keep = ['itemId', 'locationId', 'fromLocationId', 'toLocationId'];

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    await this.send(this.path, this.body());
  }

  /** Posts `body` to `path` (the form's own, or another route for the same document). */
  protected async send(path: string, body: Record<string, unknown>): Promise<void> {
    this.busy = true;
    this.done = undefined;
    try {
      const result = await this.call<{ id: string; moves?: unknown[] }>(path, { body });
      this.problem = undefined;
      this.done = this.success(result);
      this.notify(this.done, 'success');
      this.values = Object.fromEntries(Object.entries(this.values).filter(([k]) => this.keep.includes(k)));
      this.dispatchEvent(
        new CustomEvent(this.changedEvent, { bubbles: true, composed: true, detail: result }),
      );
      await this.posted();
    } catch (err) {
      this.problem = err as ApiProblem;
    } finally {
      this.busy = false;
    }
  }

  /** After a successful post (a subclass may refresh a list). */
  protected posted(): void | Promise<void> {}

  protected renderField(f: FieldSpec): TemplateResult | typeof nothing {
    if (f.tracking && this.item()?.tracking !== f.tracking) return nothing;
    return formField({
      id: f.key,
      label: f.label,
      type: f.type ?? 'text',
      value: this.values[f.key] ?? '',
      ...(f.options ? { options: f.options(this.catalogue) } : {}),
      ...(f.required ? { required: true } : {}),
      ...(f.hint ? { hint: f.hint } : {}),
      ...(f.inputmode ? { inputmode: f.inputmode } : {}),
      error: this.problem?.fieldMessage(f.pointer),
      onInput: (v) => this.set(f.key, v),
    });
  }

  /** The refusal's words that no field shows. */
  private renderProblem() {
    const p = this.problem;
    if (!p) return nothing;
    const shown = this.fields()
      .filter((f) => !f.tracking || this.item()?.tracking === f.tracking)
      .map((f) => f.pointer);
    const rest = p.unclaimed(shown);
    const fieldOnly = p.errors.length > 0 && rest.length === 0;
    return html`<div class="error" role="alert" part="problem">
      <p>${fieldOnly ? `${p.title}: see the highlighted fields.` : p.message}</p>
      ${rest.length && p.detail === undefined ? html`<ul>${rest.map((e) => html`<li>${e.field} ${e.message}</li>`)}</ul>` : nothing}
    </div>`;
  }

  protected renderExtra(): TemplateResult | typeof nothing {
    return nothing;
  }

  override render() {
    if (!this.can(this.permission))
      return html`<h2>${this.heading}</h2><p class="status">You do not have the permission ${this.permission}.</p>`;
    return html`<h2>${this.heading}</h2>
      <form novalidate @submit=${(e: Event) => this.submit(e)} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.fields().map((f) => this.renderField(f))}
        ${this.renderProblem()}
        <div><button type="submit" ?disabled=${this.busy || !this.catalogue}>${this.submitLabel}</button></div>
        <p class="success" role="status" part="done">${this.done ?? ''}</p>
      </form>
      ${this.renderExtra()}`;
  }
}
