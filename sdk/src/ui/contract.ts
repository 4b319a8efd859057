// The contract between the shell and a plugin's custom elements. The shell creates the element a
// navigation entry names, sets `erp` (and `api`, kept for elements written before the context
// existed) before attaching it, and also provides the same object through @lit/context under
// ERP_UI_CONTEXT. The key is a plain string on purpose: @lit/context matches contexts by `===`, so
// a plugin bundle with its own copy of @lit/context still finds the shell's provider.
// Third-party elements (issue 19) get the same object inside their isolated frame, backed by a
// bridge instead of the session, so a plugin author writes one UI for both realms.

/** The @lit/context key: `createContext<ErpUiContext>(ERP_UI_CONTEXT)`. */
export const ERP_UI_CONTEXT = 'erp-ui-context';

/** An authenticated fetch against the kernel: same signature as fetch, relative paths only. */
export type ErpApiFetch = (path: string, init?: RequestInit) => Promise<Response>;

export interface ErpUiTheme {
  /** 'light' or 'dark'; elements should follow it. */
  scheme: 'light' | 'dark';
  /** CSS custom properties the shell defines on :root (e.g. '--erp-accent'). */
  tokens: Readonly<Record<string, string>>;
}

export interface ErpUiContext {
  /** Calls the kernel as the signed-in user (or, in a third-party frame, with a scoped token). */
  api: ErpApiFetch;
  tenant: { id: string; name: string };
  user: { id: string; email: string; displayName?: string };
  /** The permissions the user holds (what the element may offer; the server still checks). */
  permissions: readonly string[];
  theme: ErpUiTheme;
  /** Asks the shell to go to a path of the shell's router (e.g. '/warehouses/stock'). */
  navigate(path: string): void;
  /** Shows a message in the shell's notification area. */
  notify(message: string, kind?: 'info' | 'success' | 'error'): void;
}

/** What a plugin element may implement to receive the context (lit elements may consume it instead). */
export interface ErpElement {
  erp?: ErpUiContext;
  api?: ErpApiFetch;
}
