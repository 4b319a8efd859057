// The base class of a plugin element: a LitElement that receives the ErpUiContext from the shell's
// @lit/context provider, or from the `erp` property the shell also sets, or (for elements mounted
// by hand or in tests) only an `api` fetch. It calls `load()` once it can reach the API and again
// when the context changes, so a subclass only renders and loads.
import { ContextConsumer } from '@lit/context';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { ApiProblem, type CallOptions, callApi } from './api.js';
import { erpContext } from './context.js';
import type { ErpApiFetch, ErpUiContext } from './contract.js';

export class ErpPluginElement extends LitElement {
  static override properties: PropertyDeclarations = {
    erp: { attribute: false },
    api: { attribute: false },
  };
  declare erp: ErpUiContext | undefined;
  declare api: ErpApiFetch | undefined;

  constructor() {
    super();
    new ContextConsumer(this, {
      context: erpContext,
      subscribe: true,
      callback: (ctx) => {
        this.erp = ctx;
      },
    });
  }

  /** The authenticated fetch: the context's, else the `api` property. */
  protected get fetcher(): ErpApiFetch | undefined {
    return this.erp?.api ?? this.api;
  }

  /** Calls the kernel; throws an ApiProblem (with words for people) on any failure. */
  protected call<T = unknown>(path: string, o?: CallOptions): Promise<T> {
    const f = this.fetcher;
    if (!f)
      return Promise.reject(new ApiProblem(0, 'NO_CONTEXT', 'Not signed in', 'the shell gave no API client'));
    return callApi<T>(f, path, o);
  }

  /**
   * Whether the user holds `permission`, to decide what to offer. Without a context (an element
   * given only `api`) everything is offered; the server checks every call either way.
   */
  protected can(permission: string): boolean {
    return this.erp ? this.erp.permissions.includes(permission) : true;
  }

  /** Tells the shell's notification area, when there is a shell. */
  protected notify(message: string, kind: 'info' | 'success' | 'error' = 'info'): void {
    this.erp?.notify(message, kind);
  }

  /** Properties (filters) whose change reloads the data, besides the context. */
  static reloadOn: readonly string[] = [];

  /** Loads the element's data; called when the API client arrives or changes, or a filter changes. */
  protected load(): void | Promise<void> {}

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const keys = ['erp', 'api', ...(this.constructor as typeof ErpPluginElement).reloadOn];
    if (this.fetcher && keys.some((k) => changed.has(k))) void this.load();
  }
}
