// How a plugin refuses a request with a 4xx answer: the kernel turns a PluginProblem into RFC 9457
// problem+json with the plugin's stable code. Anything else a handler throws is a 500.
export interface PluginFieldError {
  field: string;
  message: string;
}

export class PluginProblem extends Error {
  override readonly name = 'PluginProblem';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 412 | 422 | 429,
    /** Stable, upper-case code, e.g. WAREHOUSES_INSUFFICIENT_STOCK. */
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: PluginFieldError[],
  ) {
    super(detail ?? title);
  }
}
