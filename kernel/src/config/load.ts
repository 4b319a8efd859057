// Reads and validates the environment once, at start. A bad or missing variable is named in a
// one-line ConfigError so the CLI can print it and exit 2 without a stack trace.
import { resolve } from 'node:path';
import type { FromSchema } from 'json-schema-to-ts';
import { ajvFor } from '../validation/index.js';
import { ConfigError } from './errors.js';
import { checkProduction } from './production.js';
import { configSchema } from './schema.js';
import { parseTrustedProxies } from './trusted-proxies.js';

type RawConfig = FromSchema<typeof configSchema>;
type WithDefaults = typeof configSchema.properties;
type Defaulted = {
  [K in keyof WithDefaults as WithDefaults[K] extends { default: unknown } ? K : never]-?: NonNullable<
    RawConfig[K & keyof RawConfig]
  >;
};
export type KernelConfig = RawConfig &
  Defaulted & {
    corsOrigins: string[];
    /** Parsed ERP_TRUST_PROXY: addresses, CIDR ranges or proxy-addr keywords; empty trusts none. */
    trustedProxies: string[];
  };

const validate = ajvFor('config').compile(configSchema);

export function loadConfig(env: Record<string, string | undefined> = process.env): KernelConfig {
  const known = Object.keys(configSchema.properties);
  const input: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (!validate(input)) {
    const err = validate.errors?.[0];
    const variable =
      err?.instancePath.replace(/^\//, '') || String(err?.params?.missingProperty ?? 'environment');
    throw new ConfigError(
      variable,
      `${err?.message ?? 'is invalid'} (got ${JSON.stringify(env[variable] ?? null)})`,
    );
  }
  const cfg = input as RawConfig & Defaulted;
  const corsOrigins = cfg.ERP_CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError(
        'ERP_CORS_ORIGINS',
        `entry ${JSON.stringify(origin)} is not an origin like https://app.example.com`,
      );
    }
  }
  checkProduction(cfg);
  const trustedProxies = parseTrustedProxies(cfg.ERP_TRUST_PROXY);
  if (!Array.isArray(trustedProxies)) throw new ConfigError('ERP_TRUST_PROXY', trustedProxies.error);
  // Relative paths are relative to where the user ran the command (pnpm runs scripts elsewhere).
  const base = env.INIT_CWD ?? process.cwd();
  return { ...cfg, ERP_DATA_DIR: resolve(base, cfg.ERP_DATA_DIR), corsOrigins, trustedProxies };
}
