// The engines refuse bad input with an error naming the field (relative to the input they were
// given) and a stable code; the plugin turns it into an RFC 9457 problem with the request's pointer.
export class ProjectError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ProjectError';
  }
  /** The message without the field prefix. */
  get reason(): string {
    return this.message.slice(this.field.length + 2);
  }
}

export const refuse = (
  status: 400 | 404 | 409 | 422,
  code: string,
  field: string,
  message: string,
): never => {
  throw new ProjectError(status, code, field, message);
};
