// Styles shared by the shell's elements. Colours come from the theme tokens on :root (theme.css),
// chosen for WCAG AA contrast in both schemes; focus is always visible for keyboard users.
import { css } from 'lit';

export const base = css`
  :host {
    display: block;
    color: var(--erp-fg);
    font: 15px/1.45 system-ui, sans-serif;
  }
  h1 {
    font-size: 1.4rem;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.1rem;
    margin: 1.5rem 0 0.5rem;
  }
  a {
    color: var(--erp-link);
  }
  :focus-visible {
    outline: 3px solid var(--erp-focus);
    outline-offset: 2px;
  }
  form,
  .stack {
    display: grid;
    gap: 0.75rem;
    max-width: 28rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
  }
  label.check {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 400;
  }
  form > button {
    justify-self: start;
  }
  input,
  select,
  button,
  textarea {
    font: inherit;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--erp-border);
    border-radius: 6px;
    background: var(--erp-bg);
    color: var(--erp-fg);
  }
  button {
    cursor: pointer;
    background: var(--erp-accent);
    color: var(--erp-on-accent);
    border-color: var(--erp-accent);
    font-weight: 600;
  }
  button.secondary {
    background: var(--erp-bg);
    color: var(--erp-fg);
    border-color: var(--erp-border);
  }
  button.danger {
    background: var(--erp-danger);
    border-color: var(--erp-danger);
    color: var(--erp-on-accent);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.4rem 0.5rem;
    border-bottom: 1px solid var(--erp-border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
  }
  .error {
    color: var(--erp-danger);
    font-weight: 600;
  }
  .muted {
    color: var(--erp-muted);
  }
  .card {
    border: 1px solid var(--erp-border);
    border-radius: 8px;
    padding: 1rem;
    margin-bottom: 1rem;
  }
  code,
  .mono {
    font-family: ui-monospace, monospace;
    word-break: break-all;
  }
  .badge {
    display: inline-block;
    padding: 0 0.4rem;
    border-radius: 4px;
    border: 1px solid var(--erp-border);
    font-size: 0.85em;
  }
  .ok {
    color: var(--erp-ok);
  }
  dialog {
    border: 1px solid var(--erp-border);
    border-radius: 8px;
    color: var(--erp-fg);
    background: var(--erp-bg);
    max-width: 34rem;
  }
`;
