// The frame's layout: header, navigation column, main area, notification stack, skip button.
import { css } from 'lit';

export const appStyles = css`
      :host {
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 0.5rem;
        top: 0.5rem;
        background: var(--erp-bg);
        padding: 0.5rem;
        z-index: 10;
      }
      header {
        display: flex;
        gap: 1rem;
        align-items: center;
        padding: 0.6rem 1rem;
        border-bottom: 1px solid var(--erp-border);
      }
      header .brand {
        font-weight: 700;
        margin-right: auto;
        color: var(--erp-fg);
        text-decoration: none;
      }
      .layout {
        display: grid;
        grid-template-columns: 15rem 1fr;
        min-height: calc(100vh - 3.2rem);
      }
      nav {
        background: var(--erp-nav-bg);
        padding: 0.5rem 0.75rem;
      }
      nav h2 {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--erp-muted);
        margin: 1rem 0 0.25rem;
      }
      nav ul {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      nav a {
        display: block;
        padding: 0.3rem 0.5rem;
        border-radius: 5px;
        text-decoration: none;
        color: var(--erp-fg);
      }
      nav a[aria-current='page'] {
        background: var(--erp-accent);
        color: var(--erp-on-accent);
      }
      main {
        padding: 1rem 1.5rem;
        min-width: 0;
      }
      .notes {
        position: fixed;
        right: 1rem;
        bottom: 1rem;
        display: grid;
        gap: 0.5rem;
        max-width: 24rem;
      }
      .notes > div {
        display: grid;
        gap: 0.5rem;
      }
      .note {
        background: var(--erp-bg);
        border: 1px solid var(--erp-border);
        border-left: 5px solid var(--erp-accent);
        padding: 0.6rem 0.8rem;
        border-radius: 6px;
        display: flex;
        gap: 0.5rem;
        align-items: start;
      }
      .note.error {
        border-left-color: var(--erp-danger);
        color: var(--erp-fg);
      }
      .note.success {
        border-left-color: var(--erp-ok);
      }
      .note button {
        padding: 0 0.4rem;
      }
    `;
