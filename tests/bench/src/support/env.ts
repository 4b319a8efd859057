// Bench parameters from the environment.

/** A positive integer from the environment variable `name`, or `fallback` when it is not set. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}
