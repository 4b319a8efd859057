// The root element: decides between first-run setup, sign-in and the signed-in shell; holds the
// session, the router, the navigation built from the per-user UI manifest (kept live), the
// notification area, and provides the plugin context (ErpUiContext) through @lit/context.

import { ERP_UI_CONTEXT, type ErpUiContext } from '@erp/sdk/ui';
import { ContextProvider, createContext } from '@lit/context';
import { html, LitElement } from 'lit';
import { Live, type LiveMessage } from '../api/live.js';
import { messageOf } from '../api/problem.js';
import { Session } from '../api/session.js';
import './plugin-view.js';
import '../pages/login-page.js';
import { base } from '../ui/styles.js';
import { appStyles } from './app-styles.js';
import { type PluginNav, pluginNav, SHELL_ROUTES, type ShellRoute, type UiManifest } from './routes.js';

export const erpContext = createContext<ErpUiContext>(ERP_UI_CONTEXT);

type Phase = 'loading' | 'setup' | 'login' | 'ready';
interface Note {
  id: number;
  text: string;
  kind: 'info' | 'success' | 'error';
}

const TOKENS = [
  '--erp-bg',
  '--erp-fg',
  '--erp-muted',
  '--erp-border',
  '--erp-accent',
  '--erp-on-accent',
  '--erp-danger',
];

function theme(): ErpUiContext['theme'] {
  const style = getComputedStyle(document.documentElement);
  return {
    scheme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
    tokens: Object.fromEntries(TOKENS.map((t) => [t, style.getPropertyValue(t).trim()])),
  };
}

export class ErpApp extends LitElement {
  static override properties = {
    phase: { state: true },
    path: { state: true },
    nav: { state: true },
    notes: { state: true },
    ctx: { state: true },
    pageError: { state: true },
  };
  static override styles = [base, appStyles];

  declare phase: Phase;
  declare path: string;
  declare nav: PluginNav[];
  declare notes: Note[];
  declare ctx: ErpUiContext | null;
  declare pageError: string;
  readonly session = new Session();
  private readonly provider = new ContextProvider(this, { context: erpContext });
  private readonly live = new Live(this.session, (m) => this.onLive(m));
  private noteId = 0;

  constructor() {
    super();
    this.phase = 'loading';
    this.path = location.pathname;
    this.nav = [];
    this.notes = [];
    this.ctx = null;
    this.pageError = '';
    this.session.addEventListener('change', () => this.sessionChanged());
    addEventListener('popstate', () => {
      this.path = location.pathname;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.boot();
  }

  private async boot(): Promise<void> {
    try {
      const setup = await fetch('/api/v1/setup').then((r) => r.json() as Promise<{ needed: boolean }>);
      if (setup.needed) {
        await import('../pages/setup-page.js');
        this.phase = 'setup';
        return;
      }
      if (this.path === '/setup') this.go('/', true);
      if (!(await this.session.refresh().catch(() => false))) this.phase = 'login';
    } catch (err) {
      this.phase = 'login';
      this.notify(`Could not reach the server: ${messageOf(err)}`, 'error');
    }
  }

  private sessionChanged(): void {
    const me = this.session.me;
    if (!me) {
      this.live.stop();
      this.ctx = null;
      this.nav = [];
      this.phase = 'login';
      return;
    }
    this.ctx = {
      api: this.session.api,
      tenant: { id: me.tenantId, name: this.session.tenantSlug || me.tenantId },
      user: { id: me.userId ?? '', email: me.email ?? '' },
      permissions: me.permissions,
      theme: theme(),
      navigate: (path) => this.go(path),
      notify: (message, kind) => this.notify(message, kind),
    };
    this.provider.setValue(this.ctx);
    if (this.phase !== 'ready') {
      // Signed in on the way to a kernel page (the OAuth consent screen): go back to it. Only that
      // path of this origin, so the parameter cannot send anyone elsewhere.
      const back = new URLSearchParams(location.search).get('return');
      if (back?.startsWith('/oauth/authorize?')) {
        location.assign(back);
        return;
      }
      this.phase = 'ready';
      if (this.path === '/login' || this.path === '/setup') this.go('/', true);
      this.live.start();
      void this.loadManifest();
    }
  }

  private onLive(m: LiveMessage): void {
    if (m.type === 'signed-out') this.session.drop();
    else if (this.session.signedIn) void this.loadManifest();
  }

  /** Re-reads the navigation (after a plugin or role change, here or elsewhere). */
  async loadManifest(): Promise<void> {
    try {
      this.nav = pluginNav(await this.session.getJson<UiManifest>('/api/v1/ui/manifest'));
    } catch (err) {
      this.notify(`Navigation could not be loaded: ${messageOf(err)}`, 'error');
    }
  }

  /** Called by pages after they changed plugins: this tab reloads now, the others are told. */
  pluginsChanged(reason: string): void {
    void this.loadManifest();
    this.live.tell({ type: 'manifest-changed', reason });
  }

  go(path: string, replace = false): void {
    if (replace) history.replaceState(null, '', path);
    else if (path !== location.pathname) history.pushState(null, '', path);
    this.path = path.split('?')[0] ?? '/';
    // Move focus to the new page's content so screen readers and keyboards start there.
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('main') as HTMLElement | null)?.focus(),
    );
  }

  notify(text: string, kind: Note['kind'] = 'info'): void {
    const note = { id: ++this.noteId, text, kind };
    this.notes = [...this.notes, note];
    if (kind !== 'error') setTimeout(() => this.dismiss(note.id), 6000);
  }

  private dismiss(id: number): void {
    this.notes = this.notes.filter((n) => n.id !== id);
  }

  private onNavClick(e: MouseEvent): void {
    const a = (e.composedPath()[0] as HTMLElement).closest?.('a');
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const href = a.getAttribute('href');
    if (!href?.startsWith('/')) return;
    e.preventDefault();
    this.go(href);
  }

  private async signOut(): Promise<void> {
    try {
      await this.session.logout();
    } catch (err) {
      this.notify(`Signing out failed: ${messageOf(err)}`, 'error');
    }
    this.live.tell({ type: 'signed-out' });
    this.go('/login', true);
  }

  private visibleRoutes(): ShellRoute[] {
    const perms = new Set(this.ctx?.permissions ?? []);
    return SHELL_ROUTES.filter((r) => !r.permission || perms.has(r.permission));
  }

  private link(path: string, label: string) {
    return html`<li><a href=${path} aria-current=${this.path === path ? 'page' : 'false'}>${label}</a></li>`;
  }

  private renderNav() {
    const routes = this.visibleRoutes();
    const byPlugin = new Map<string, PluginNav[]>();
    for (const n of this.nav) byPlugin.set(n.plugin, [...(byPlugin.get(n.plugin) ?? []), n]);
    return html`<nav aria-label="Main" @click=${this.onNavClick}>
      <ul>
        ${this.link('/', 'Home')}
      </ul>
      ${[...byPlugin].map(
        ([plugin, entries]) => html`<h2 id="nav-${plugin}">${entries[0]?.pluginName ?? plugin}</h2>
          <ul aria-labelledby="nav-${plugin}" data-plugin=${plugin}>
            ${entries.map((n) => this.link(n.path, n.label))}
          </ul>`,
      )}
      ${(['Administration', 'Account'] as const).map((section) => {
        const list = routes.filter((r) => r.section === section);
        return list.length
          ? html`<h2 id="nav-${section}">${section}</h2>
              <ul aria-labelledby="nav-${section}">
                ${list.map((r) => this.link(r.path, r.label))}
              </ul>`
          : '';
      })}
    </nav>`;
  }

  private renderPage() {
    const ctx = this.ctx!;
    if (this.path === '/' || this.path === '') {
      return html`<h1>Welcome</h1>
        <p>Signed in as <strong>${ctx.user.email}</strong> in tenant <strong>${ctx.tenant.name}</strong>.</p>
        <p>
          ${
            this.nav.length
              ? `${this.nav.length} page(s) from installed plugins are in the navigation.`
              : 'No plugin pages yet: install plugins under Administration → Installed plugins.'
          }
        </p>`;
    }
    const plugin = this.nav.find((n) => n.path === this.path);
    if (plugin) return html`<erp-plugin-view .entry=${plugin} .ctx=${ctx}></erp-plugin-view>`;
    const route = SHELL_ROUTES.find((r) => r.path === this.path);
    if (route) {
      if (!customElements.get(route.tag)) {
        route.load().then(
          () => this.requestUpdate(),
          (err) => this.notify(`The page could not be loaded: ${messageOf(err)}`, 'error'),
        );
        return html`<p role="status">Loading…</p>`;
      }
      const page = document.createElement(route.tag) as HTMLElement & { app: ErpApp; session: Session };
      page.app = this;
      page.session = this.session;
      return page;
    }
    return html`<h1>Page not found</h1>
      <p>There is no page at <code>${this.path}</code> (a plugin that provided it may have been removed).</p>
      <p><a href="/" @click=${this.onNavClick}>Go home</a></p>`;
  }

  private renderNotes() {
    return html`<aside class="notes" aria-label="Notifications"><div role="status" aria-live="polite">
      ${this.notes.map(
        (n) => html`<div class="note ${n.kind}">
          <span>${n.text}</span>
          <button class="secondary" aria-label="Dismiss message" @click=${() => this.dismiss(n.id)}>×</button>
        </div>`,
      )}
    </div></aside>`;
  }

  private pageCache = new Map<string, HTMLElement>();

  override render() {
    if (this.phase === 'loading') return html`<main><p role="status">Loading…</p></main>`;
    if (this.phase === 'setup')
      return html`<main id="main" tabindex="-1"><erp-setup-page .app=${this} .session=${this.session}></erp-setup-page></main>${this.renderNotes()}`;
    if (this.phase === 'login' && this.path === '/reset-password') {
      if (!customElements.get('erp-reset-page'))
        void import('../pages/reset-page.js').then(() => this.requestUpdate());
      return html`<main id="main" tabindex="-1" @click=${this.onNavClick}><erp-reset-page .app=${this} .session=${this.session}></erp-reset-page></main>${this.renderNotes()}`;
    }
    if (this.phase === 'login')
      return html`<main id="main" tabindex="-1" @click=${this.onNavClick}><erp-login-page .app=${this} .session=${this.session}></erp-login-page></main>${this.renderNotes()}`;
    const ctx = this.ctx!;
    return html`
      <button class="skip secondary" @click=${() => (this.renderRoot.querySelector('main') as HTMLElement).focus()}>
        Skip to content
      </button>
      <header>
        <a class="brand" href="/" @click=${this.onNavClick}>ERP</a>
        <span>Tenant: <strong data-testid="tenant">${ctx.tenant.name}</strong></span>
        <span>User: <strong data-testid="user">${ctx.user.email}</strong></span>
        <button class="secondary" @click=${this.signOut}>Sign out</button>
      </header>
      <div class="layout">
        ${this.renderNav()}
        <main id="main" tabindex="-1">${this.cachedPage()}</main>
      </div>
      ${this.renderNotes()}
    `;
  }

  /** The same page element while the path stays (a re-render must not reset a page's state). */
  private cachedPage() {
    const key = `${this.path}|${this.nav.find((n) => n.path === this.path)?.module ?? ''}`;
    const hit = this.pageCache.get(key);
    if (hit) return hit;
    const page = this.renderPage();
    if (page instanceof HTMLElement) {
      this.pageCache.clear();
      this.pageCache.set(key, page);
    }
    return page;
  }
}

customElements.define('erp-app', ErpApp);
