// The shape of the setup forms (project, activity, progress, cost rate, person's role): fields built
// from a list, the server as the only judge of validity — the form sends what was typed and shows
// each problem+json field error in words next to its control (others above the button) — and a
// document event after a success, so the page's lists and the other forms' pickers follow.
import { type ApiProblem, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';

/** Sent on the document after any setup form changed something. */
export const PROJECTS_CHANGED = 'project-costing-changed';

export interface Field {
  key: string;
  label: string;
  /** JSON pointer of the request field, as the server names it in problem+json. */
  pointer: string;
  type?: 'text' | 'date' | 'select';
  options?: ReadonlyArray<{ value: string; label: string }>;
  required?: boolean;
  hint?: string;
  decimal?: boolean;
}

export const AMOUNT_HINT = 'a decimal amount of 0 or more, e.g. 2500 or 12.50';

/** Leaves out what was not filled in, so the server names a missing required field. */
export function filled(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

export abstract class SetupForm extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties: PropertyDeclarations = {
    values: { state: true },
    problem: { state: true },
    done: { state: true },
    busy: { state: true },
  };
  declare values: Record<string, string>;
  declare problem?: ApiProblem;
  declare done?: string;
  declare busy: boolean;

  abstract readonly heading: string;
  abstract readonly submitLabel: string;
  abstract readonly permission: string;
  abstract fields(): Field[];
  /** Where and how the form posts, or undefined while it cannot (nothing chosen yet). */
  abstract request(): { path: string; method?: 'POST' | 'PUT' | 'PATCH'; body: unknown } | undefined;
  abstract success(result: Record<string, unknown>): string;
  /** Fields kept after a success (the rest are cleared for the next one). */
  protected keep: string[] = [];

  constructor() {
    super();
    this.values = {};
    this.busy = false;
  }

  protected set(key: string, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const r = this.request();
    if (!r) return;
    this.busy = true;
    this.done = undefined;
    try {
      const result = await this.call<Record<string, unknown>>(r.path, {
        method: r.method ?? 'POST',
        body: r.body,
      });
      this.problem = undefined;
      this.done = this.success(result);
      this.notify(this.done, 'success');
      this.values = Object.fromEntries(Object.entries(this.values).filter(([k]) => this.keep.includes(k)));
      document.dispatchEvent(new CustomEvent(PROJECTS_CHANGED, { detail: result }));
    } catch (err) {
      this.problem = err as ApiProblem;
    } finally {
      this.busy = false;
    }
  }

  private field(f: Field): TemplateResult {
    return formField({
      id: f.key,
      label: f.label,
      type: f.type ?? 'text',
      value: this.values[f.key] ?? '',
      ...(f.options ? { options: f.options } : {}),
      ...(f.required ? { required: true } : {}),
      ...(f.hint ? { hint: f.hint } : {}),
      ...(f.decimal ? { inputmode: 'decimal' as const } : {}),
      error: this.problem?.fieldMessage(f.pointer),
      onInput: (v) => this.set(f.key, v),
    });
  }

  /** The refusal's words that no field shows. */
  private refusal() {
    const p = this.problem;
    if (!p) return nothing;
    const rest = p.unclaimed(this.fields().map((f) => f.pointer));
    const fieldOnly = p.errors.length > 0 && rest.length === 0;
    return html`<div class="error" role="alert" part="problem">
      <p>${fieldOnly ? `${p.title}: see the highlighted fields.` : p.message}</p>
    </div>`;
  }

  override render() {
    if (!this.can(this.permission))
      return html`<h3>${this.heading}</h3><p class="status">You do not have the permission ${this.permission}.</p>`;
    return html`<h3>${this.heading}</h3>
      <form novalidate @submit=${(e: Event) => this.submit(e)} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.fields().map((f) => this.field(f))}
        ${this.refusal()}
        <div><button type="submit" ?disabled=${this.busy || !this.request()}>${this.submitLabel}</button></div>
        <p class="success" role="status" part="done">${this.done ?? ''}</p>
      </form>`;
  }
}
