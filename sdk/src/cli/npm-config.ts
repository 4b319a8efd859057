// The registry and the login token, from the partner's own npm configuration: the ordinary
// `npm login` writes the token, a project's .npmrc names the registry of a scope. The registry is
// asked of npm itself (`npm config get`, which knows every layer); the token is read from the
// .npmrc files because npm refuses to print it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cleanNpmEnv, registryConfigKey } from '../marketplace/index.js';
import { UsageError } from './usage.js';

/** `npm config get <key>` as npm sees it from `cwd`; undefined when unset. */
export function npmConfigGet(key: string, cwd: string): string | undefined {
  const r = spawnSync('npm', ['config', 'get', key], { cwd, encoding: 'utf8', env: cleanNpmEnv() });
  const value = r.status === 0 ? r.stdout.trim() : '';
  return value === '' || value === 'undefined' || value === 'null' ? undefined : value;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Where a package goes: `--registry`, else the registry npm has for the package's scope, else
 * npm's default registry, as `npm publish` would choose.
 */
export function registryFor(cwd: string, packageName: string | undefined, flag?: string): string {
  if (flag) {
    if (!URL.canParse(flag)) throw new UsageError(`--registry must be a URL (got ${JSON.stringify(flag)})`);
    return withSlash(new URL(flag).href);
  }
  const scope = packageName?.startsWith('@') ? packageName.split('/')[0] : undefined;
  const configured =
    (scope && npmConfigGet(`${scope}:registry`, cwd)) ||
    npmConfigGet('registry', cwd) ||
    'https://registry.npmjs.org/';
  return withSlash(configured);
}

/** The .npmrc files npm reads, most specific first: the project's, the user's, the global one. */
function npmrcFiles(cwd: string): string[] {
  const env = process.env;
  const user = env.npm_config_userconfig || env.NPM_CONFIG_USERCONFIG || join(homedir(), '.npmrc');
  const files = [join(cwd, '.npmrc'), user];
  const global = env.npm_config_globalconfig || env.NPM_CONFIG_GLOBALCONFIG;
  if (global) files.push(global);
  return files;
}

/** `key=value` lines of an .npmrc, with `${VAR}` expanded as npm does. */
function readNpmrc(file: string): Map<string, string> {
  const values = new Map<string, string>();
  if (!existsSync(file)) return values;
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const value = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/\$\{([^}]+)\}/g, (_m, name: string) => process.env[name] ?? '');
    values.set(line.slice(0, eq).trim(), value);
  }
  return values;
}

/**
 * The token `npm login` saved for `registry` (`//host:port/path/:_authToken`, matched on the
 * longest path as npm does), or undefined when the partner is not logged in there.
 */
export function authTokenFor(registry: string, cwd: string): string | undefined {
  const nerf = registryConfigKey(registry);
  const candidates: string[] = [];
  for (let prefix = nerf; prefix.length > 2; prefix = prefix.replace(/[^/]*\/$/, '')) {
    candidates.push(`${prefix}:_authToken`);
    if (/^\/\/[^/]+\/$/.test(prefix)) break;
  }
  for (const file of npmrcFiles(cwd)) {
    const values = readNpmrc(file);
    for (const key of candidates) {
      const token = values.get(key);
      if (token) return token;
    }
  }
  return undefined;
}
