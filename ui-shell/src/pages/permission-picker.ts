// A labelled group of checkboxes over the permission catalogue (roles and API keys use it).
import { html } from 'lit';

export interface PermissionInfo {
  name: string;
  description: string;
  owner: string;
}

export function permissionPicker(legend: string, name: string, items: PermissionInfo[]) {
  return html`<fieldset>
    <legend>${legend}</legend>
    ${items.map(
      (p) => html`<label class="check"
        ><input type="checkbox" name=${name} value=${p.name} /> <code>${p.name}</code>
        <span class="muted">${p.description}</span></label
      >`,
    )}
  </fieldset>`;
}

export const checked = (form: HTMLFormElement, name: string) => new FormData(form).getAll(name).map(String);
