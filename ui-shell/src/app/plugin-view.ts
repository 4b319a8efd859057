// Renders one plugin page: imports the version's module from its immutable asset URL (the browser
// caches it; a new version is a new URL), waits for the element to be defined, then creates it
// with the context set as properties before it is attached (`erp`, and `api` for elements written
// before the context existed). Lit elements may consume the same object through @lit/context,
// which the root element provides. A custom element name can be defined once per page, so after
// an upgrade that changes an already-defined element the page asks for a reload.
// A third-party plugin's element (the tenant's trust policy sends its code to the sandbox) is never
// imported into this page: <erp-plugin-frame> renders it in a sandboxed frame (src/bridge/).
import type { ErpElement, ErpUiContext } from '@erp/sdk/ui';
import { html, LitElement, type PropertyValues } from 'lit';
import { base } from '../ui/styles.js';
import type { PluginNav } from './routes.js';

/** The module URL that defined each tag in this page. */
const definedBy = new Map<string, string>();

/** What decides the element shown: an equal entry from a manifest reload keeps it. */
const keyOf = (entry: PluginNav | null) =>
  entry ? `${entry.module}#${entry.element}#${entry.isolated}` : '';

export class PluginView extends LitElement {
  static override properties = {
    entry: { attribute: false },
    ctx: { attribute: false },
    error: { state: true },
    loading: { state: true },
  };
  static override styles = base;
  declare entry: PluginNav | null;
  declare ctx: ErpUiContext | null;
  declare error: string;
  declare loading: boolean;
  private shown: HTMLElement | null = null;
  private mountedKey = '';

  constructor() {
    super();
    this.entry = null;
    this.ctx = null;
    this.error = '';
    this.loading = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A manifest reload hands over an equal entry: keep the element (and its state) unless it differs.
    const key = keyOf(this.entry);
    if (changed.has('entry') && key !== this.mountedKey) {
      this.mountedKey = key;
      void this.mount();
    } else if (changed.has('ctx') && this.ctx) {
      if (this.shown) this.give(this.shown, this.ctx);
      else if (this.entry && !this.loading && !this.error) void this.mount(); // the context came after the entry
    }
  }

  private give(el: HTMLElement & ErpElement, ctx: ErpUiContext): void {
    if (el.localName === 'erp-plugin-frame') {
      (el as HTMLElement & { ctx: ErpUiContext }).ctx = ctx; // the frame gets only what the bridge sends
      return;
    }
    el.erp = ctx;
    el.api = ctx.api;
  }

  private async mount(): Promise<void> {
    const entry = this.entry;
    this.shown?.remove();
    this.shown = null;
    this.error = '';
    if (!entry || !this.ctx) return;
    if (entry.isolated) {
      await import('../bridge/plugin-frame.js');
      if (this.mountedKey !== keyOf(entry)) return; // navigated away meanwhile
      const frame = document.createElement('erp-plugin-frame') as HTMLElement & {
        entry: unknown;
        ctx: ErpUiContext;
      };
      frame.entry = entry;
      frame.ctx = this.ctx;
      this.shown = frame;
      this.renderRoot.querySelector('.host')?.append(frame);
      return;
    }
    this.loading = true;
    const started = performance.now();
    try {
      const earlier = definedBy.get(entry.element);
      if (earlier && earlier !== entry.module && customElements.get(entry.element)) {
        throw new Error(`${entry.plugin} changed to version ${entry.version}: reload the page to use it.`);
      }
      await import(/* @vite-ignore */ entry.module);
      await Promise.race([
        customElements.whenDefined(entry.element),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`${entry.module} did not define <${entry.element}>`)), 10_000),
        ),
      ]);
      definedBy.set(entry.element, entry.module);
      // Navigated away meanwhile. (Not `this.entry !== entry`: a manifest reload during the import
      // hands over an equal entry, and the page would stay empty.)
      if (this.mountedKey !== keyOf(entry)) return;
      const el = document.createElement(entry.element) as HTMLElement & ErpElement;
      this.give(el, this.ctx);
      this.shown = el;
      this.renderRoot.querySelector('.host')?.append(el);
      // The same budget figure <erp-plugin-frame> reports for a framed element: import to first update.
      await (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
      el.dataset.firstRenderMs = String(Math.round(performance.now() - started));
    } catch (err) {
      this.error = `The page of ${entry.plugin} ${entry.version} could not be loaded: ${
        err instanceof Error ? err.message : String(err)
      }`;
    } finally {
      this.loading = false;
    }
  }

  override render() {
    return html`
      <h1>${this.entry?.label ?? ''}</h1>
      ${this.loading ? html`<p class="muted" role="status">Loading ${this.entry?.label}…</p>` : ''}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="host"></div>
    `;
  }
}

customElements.define('erp-plugin-view', PluginView);
