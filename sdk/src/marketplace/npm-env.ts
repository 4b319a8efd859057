// The environment npm child processes get: the caller's, without any npm_* / pnpm_* variables that
// a surrounding `npm run` or `pnpm run` leaves behind (they would silently change npm's config).
export function cleanNpmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** npm's per-registry config prefix: `//host:port/path/`. */
export function registryConfigKey(registry: string): string {
  const url = new URL(registry);
  return `//${url.host}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
}
