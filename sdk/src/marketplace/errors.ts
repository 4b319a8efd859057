// One error type for the marketplace, the publisher's side (here) and the registry's
// (@erp/marketplace re-exports it): a stable `code` callers switch on (the kernel maps it to an
// RFC 9457 problem, the CLI to a message), an HTTP status, and a message that names the cause.
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
