// A labelled form control as a lit template: the label is tied to the control, a hint and the
// server's message for the field are linked with aria-describedby, and the control is marked
// invalid while the message shows; a required control carries `required` (announced by screen
// readers) and the label stays exactly the field's name. Schema messages ("must match pattern …") are put into words
// with the field's hint, so people read "Quantity must be a number greater than zero".
import { html, nothing, type TemplateResult } from 'lit';

export interface FieldOptions {
  /** Unique within the element's shadow root. */
  id: string;
  label: string;
  type?: 'text' | 'date' | 'datetime-local' | 'select' | 'textarea';
  value?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  required?: boolean;
  /** What a valid value looks like ("a number greater than zero"). */
  hint?: string;
  /** The server's message for this field (ApiProblem.fieldMessage). */
  error?: string | undefined;
  inputmode?: 'text' | 'decimal' | 'numeric';
  onInput: (value: string) => void;
}

/** The words shown for a field's error. */
export function fieldErrorText(label: string, message: string, hint?: string): string {
  let m = message;
  if (/^must match (pattern|format)/.test(m)) m = hint ? `must be ${hint}` : 'is not in the expected format';
  // Ajv's length limits, as a person would say them.
  m = m
    .replace(/^must NOT have fewer than (\d+) characters?$/, (_, n) =>
      n === '1' ? 'is required' : `must have at least ${n} characters`,
    )
    .replace(/^must NOT have more than (\d+) characters?$/, 'must have at most $1 characters')
    .replace(/^must have required property '.+'$/, 'is required');
  return /^(is|must|should|has|does) /.test(m) ? `${label} ${m}` : m;
}

export function formField(o: FieldOptions): TemplateResult {
  const hintId = o.hint ? `${o.id}-hint` : '';
  const errorId = o.error ? `${o.id}-error` : '';
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || nothing;
  const invalid = o.error ? 'true' : 'false';
  const input = (e: Event) => o.onInput((e.target as HTMLInputElement).value);
  let control: TemplateResult;
  if (o.type === 'select') {
    control = html`<select id=${o.id} name=${o.id} aria-invalid=${invalid} aria-describedby=${describedBy}
      ?required=${o.required} @change=${input}>
      <option value="" ?selected=${!o.value}>Choose…</option>
      ${(o.options ?? []).map((op) => html`<option value=${op.value} ?selected=${op.value === o.value}>${op.label}</option>`)}
    </select>`;
  } else if (o.type === 'textarea') {
    control = html`<textarea id=${o.id} name=${o.id} aria-invalid=${invalid} aria-describedby=${describedBy}
      ?required=${o.required} .value=${o.value ?? ''} @input=${input}></textarea>`;
  } else {
    control = html`<input id=${o.id} name=${o.id} type=${o.type ?? 'text'} inputmode=${o.inputmode ?? nothing}
      aria-invalid=${invalid} aria-describedby=${describedBy} ?required=${o.required}
      .value=${o.value ?? ''} @input=${input} />`;
  }
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    ${control}
    ${o.hint ? html`<span class="hint" id=${hintId}>${o.hint}</span>` : nothing}
    ${o.error ? html`<p class="field-error" id=${errorId}>${fieldErrorText(o.label, o.error, o.hint)}</p>` : nothing}
  </div>`;
}
