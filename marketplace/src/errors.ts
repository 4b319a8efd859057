// One error type for the whole package: a stable `code` callers switch on (the kernel maps it to an
// RFC 9457 problem), an HTTP status for the registry layer, and a message that names the cause.
export class MarketplaceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'MarketplaceError';
  }

  /** The RFC 9457 body the registry layer answers with; `error` is what the npm CLI prints. */
  toProblem(): Record<string, unknown> {
    return {
      type: `urn:erp:problem:${this.code}`,
      title: this.message,
      status: this.status,
      code: this.code,
      detail: this.message,
      error: this.message,
    };
  }
}
