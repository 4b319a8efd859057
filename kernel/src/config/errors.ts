// A bad or missing variable, named in one line so the CLI can print it and exit 2 without a stack.
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`configuration error: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}
