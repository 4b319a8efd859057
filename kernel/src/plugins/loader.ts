// Loads one plugin version: imports its code, checks that the code stays inside its manifest
// (declared permissions, publish/subscribe capabilities, route shapes), compiles its validators
// and response serialisers, and reads and lints its migrations. Anything wrong is a LoadError
// naming the cause; the host then refuses the install or quarantines the version.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DefinedPlugin, isDefinedPlugin, type PluginRoute } from '@erp/sdk';
import fastJson from 'fast-json-stringify';
import FindMyWay from 'find-my-way';
import { type CompiledValidator, compileValidator } from '../validation/index.js';
import type { CatalogEntry } from './catalog.js';
import { importEntry } from './entry-module.js';
import { ensureSdkProvided, GENERATION } from './sdk-provider/index.js';
import { migrationProblem } from './sql/index.js';
import { untrustedSchemaProblem } from './untrusted-schema.js';

export class LoadError extends Error {
  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super(`${plugin}: ${reason}`);
    this.name = 'LoadError';
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface LoadedRoute {
  key: string;
  method: HttpMethod;
  path: string;
  def: PluginRoute;
  validate: { body?: CompiledValidator; params?: CompiledValidator; query?: CompiledValidator };
  serialize?: (value: unknown) => string;
}

export interface PluginMigration {
  name: string;
  sql: string;
  checksum: string;
}

/** Where a version's code runs: imported into the kernel's process, or in isolates. */
export type PluginRuntime = 'in-process' | 'sandbox';

export interface LoadedPlugin {
  id: string;
  runtime: PluginRuntime;
  name: string;
  version: string;
  dir: string;
  entry: CatalogEntry;
  def: DefinedPlugin;
  routes: LoadedRoute[];
  find(
    method: string,
    path: string,
  ): { route: LoadedRoute; params: Record<string, string | undefined> } | null;
  events: Map<string, CompiledValidator>;
  migrations: PluginMigration[];
}

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9_:/.-]*)$/;
const EVENT_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const LOCAL_NAME = /^[a-z][a-z0-9.-]{0,99}$/;

/** events:publish:stock.* style patterns; `*` matches one or more name characters including dots. */
export function capabilityAllows(
  capabilities: readonly string[],
  kind: 'publish' | 'subscribe',
  name: string,
): boolean {
  return capabilities.some((c) => {
    const prefix = `events:${kind}:`;
    if (!c.startsWith(prefix)) return false;
    const pattern = c
      .slice(prefix.length)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.+');
    return new RegExp(`^${pattern}$`).test(name);
  });
}

function readMigrations(entry: CatalogEntry): PluginMigration[] {
  const dir = join(entry.dir, entry.pkg.manifest.migrations);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      const problem = migrationProblem(sql);
      if (problem) throw new LoadError(entry.pkg.name, `migration ${name} ${problem}`);
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Imports a version's code into this process (first-party only; entry-module.ts says which file) and checks it. */
export async function loadPlugin(entry: CatalogEntry): Promise<LoadedPlugin> {
  const { pkg, dir } = entry;
  const m = pkg.manifest;
  const load = (file: string) => {
    const url = pathToFileURL(join(dir, file)).href;
    return import(entry.generation ? `${url}?${GENERATION}=${entry.generation}` : url) as Promise<{
      default?: unknown;
    }>;
  };
  let mod: { default?: unknown };
  try {
    ensureSdkProvided();
    mod = await importEntry(dir, m.entry, load);
  } catch (err) {
    throw new LoadError(pkg.name, `its code failed to load: ${(err as Error).message}`);
  }
  return checkPlugin(entry, mod.default);
}

/**
 * Checks a definition against its manifest and compiles what serves it. Both runners call it: the
 * in-process one with the imported module's export, the sandbox with the definition's data read
 * out of the isolate (its handlers stay there).
 */
export function checkPlugin(
  entry: CatalogEntry,
  def: unknown,
  opts: { untrusted?: boolean } = {},
): LoadedPlugin {
  const { pkg, dir } = entry;
  const m = pkg.manifest;
  const fail = (reason: string) => new LoadError(pkg.name, reason);
  if (!isDefinedPlugin(def)) throw fail(`${m.entry} must export definePlugin(...) as default`);
  const untrusted = opts.untrusted === true;
  if (untrusted) {
    const schemas: Array<[string, unknown]> = [
      ...Object.entries(def.routes ?? {}).flatMap(([key, r]) =>
        (['body', 'params', 'query', 'response'] as const).map((part): [string, unknown] => [
          `route "${key}" ${part}`,
          r[part],
        ]),
      ),
      ...Object.entries(def.events ?? {}).map(([name, s]): [string, unknown] => [`event "${name}"`, s]),
      ['configSchema', def.configSchema],
    ];
    for (const [where, schema] of schemas) {
      const problem = untrustedSchemaProblem(schema);
      if (problem) throw fail(`${where} schema ${problem}`);
    }
  }

  const declared = new Set(Object.keys(m.permissions ?? {}));
  const capabilities = m.capabilities ?? [];
  const router = FindMyWay({ ignoreTrailingSlash: true });
  const routes: LoadedRoute[] = [];
  for (const [key, r] of Object.entries(def.routes ?? {})) {
    const match = ROUTE_KEY.exec(key);
    if (!match) throw fail(`route "${key}" must look like "POST /path/:param"`);
    if (!declared.has(r.permission))
      throw fail(`route "${key}" is guarded by ${r.permission}, which erp.permissions does not declare`);
    const route: LoadedRoute = {
      key,
      method: match[1] as HttpMethod,
      path: match[2]!,
      def: r,
      validate: {
        body: r.body
          ? compileValidator(
              r.body,
              'body',
              false,
              () => fail(`route "${key}" body schema is invalid`),
              untrusted,
            )
          : undefined,
        params: r.params
          ? compileValidator(
              r.params,
              'params',
              true,
              () => fail(`route "${key}" params schema is invalid`),
              untrusted,
            )
          : undefined,
        query: r.query
          ? compileValidator(
              r.query,
              'query',
              true,
              () => fail(`route "${key}" query schema is invalid`),
              untrusted,
            )
          : undefined,
      },
    };
    if (r.response && !untrusted) {
      try {
        route.serialize = fastJson(r.response as object);
      } catch {
        throw fail(`route "${key}" response schema is invalid`);
      }
    }
    try {
      router.on(route.method, route.path, () => {}, route);
    } catch (err) {
      throw fail(`route "${key}" collides with another route of the plugin (${(err as Error).message})`);
    }
    routes.push(route);
  }
  const events = new Map<string, CompiledValidator>();
  for (const [name, s] of Object.entries(def.events ?? {})) {
    if (!EVENT_NAME.test(name)) throw fail(`event "${name}" must be dotted lowercase, e.g. stock.received`);
    const qualified = `${m.id}.${name}`;
    if (
      !capabilityAllows(capabilities, 'publish', name) &&
      !capabilityAllows(capabilities, 'publish', qualified)
    ) {
      throw fail(`event "${name}" is published without an events:publish capability covering it`);
    }
    events.set(
      name,
      compileValidator(s, 'payload', false, () => fail(`event "${name}" schema is invalid`), untrusted),
    );
  }
  for (const name of Object.keys(def.jobs ?? {})) {
    if (!LOCAL_NAME.test(name))
      throw fail(`job "${name}" must be lowercase letters, digits, dots and dashes`);
  }
  for (const [name, sub] of Object.entries(def.subscriptions ?? {})) {
    if (!LOCAL_NAME.test(name))
      throw fail(`subscription "${name}" must be lowercase letters, digits, dots and dashes`);
    if (!capabilityAllows(capabilities, 'subscribe', sub.event)) {
      throw fail(
        `subscription "${name}" listens to ${sub.event} without an events:subscribe capability covering it`,
      );
    }
  }
  const migrations = readMigrations(entry);
  return {
    id: m.id,
    runtime: 'in-process',
    name: pkg.name,
    version: pkg.version,
    dir,
    entry,
    def,
    routes,
    events,
    migrations,
    find(method, path) {
      const found = router.find(method as HttpMethod, path);
      return found ? { route: found.store as LoadedRoute, params: found.params } : null;
    },
  };
}
