// Errors of the event bus and jobs. They are programming errors of the publishing or registering
// code (an undeclared subject, a payload that breaks its schema), so they carry a stable code for
// logs and the plugin host, and an HTTP request that hits one fails as a 500 and rolls back.
export interface SchemaError {
  field: string;
  message: string;
}

export class EventError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: SchemaError[] = [],
  ) {
    super(message);
    this.name = 'EventError';
  }
}
