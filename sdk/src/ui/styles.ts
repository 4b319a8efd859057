// The look every plugin element shares: follows the shell's theme through CSS custom properties
// (which cross shadow roots), with fallbacks that meet WCAG AA contrast on a white page.
import { css } from 'lit';

export const erpStyles = css`
  :host {
    display: block;
    font: 14px/1.45 system-ui, sans-serif;
    color: var(--erp-fg, #1f2933);
  }
  h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
  h3 { font-size: 1rem; margin: 1rem 0 0.5rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.25rem 0 0.75rem; }
  caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
  th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--erp-border, #d9e2ec); text-align: left; }
  th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.neg { color: var(--erp-danger, #b42318); }
  .status { color: var(--erp-muted, #52606d); margin: 0.25rem 0; }
  .error { color: var(--erp-danger, #b42318); margin: 0.25rem 0; }
  .success { color: var(--erp-ok, #166534); margin: 0.25rem 0; }
  form { display: grid; gap: 0.75rem; max-width: 40rem; }
  fieldset { border: 1px solid var(--erp-border, #d9e2ec); border-radius: 6px; padding: 0.75rem; display: grid; gap: 0.75rem; }
  legend { font-weight: 600; padding: 0 0.25rem; }
  .field { display: grid; gap: 0.2rem; }
  .field label { font-weight: 600; }
  .hint { color: var(--erp-muted, #52606d); font-size: 0.85rem; }
  .field-error { color: var(--erp-danger, #b42318); font-size: 0.9rem; margin: 0; }
  input, select, textarea {
    font: inherit;
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--erp-border-strong, #616e7c);
    border-radius: 4px;
    background: var(--erp-bg, #fff);
    color: inherit;
  }
  [aria-invalid='true'] { border-color: var(--erp-danger, #b42318); }
  button {
    font: inherit;
    padding: 0.4rem 0.9rem;
    border-radius: 4px;
    border: 1px solid var(--erp-accent, #1d4ed8);
    background: var(--erp-accent, #1d4ed8);
    color: var(--erp-on-accent, #fff);
    cursor: pointer;
  }
  button.secondary { background: transparent; color: var(--erp-accent, #1d4ed8); }
  button:disabled { opacity: 0.6; cursor: default; }
  :focus-visible { outline: 2px solid var(--erp-focus, #1d4ed8); outline-offset: 2px; }
  .toolbar { display: flex; gap: 0.75rem; align-items: end; flex-wrap: wrap; margin-bottom: 0.75rem; }
  .visually-hidden {
    position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
  }
`;
