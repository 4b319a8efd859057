// The capability-based context every plugin handler receives, and nothing else: no pool, no
// process, no kernel internals. Every capability takes and returns plain JSON, so the same plugin
// runs in-process (first-party) or in the sandbox (third-party) and cannot tell which.
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface PluginDb {
  /** One SQL statement with $1… parameters, run as the plugin's role in its own schema. */
  query<R = Record<string, Json>>(sql: string, params?: readonly Json[]): Promise<R[]>;
  /** The first row, or null. */
  one<R = Record<string, Json>>(sql: string, params?: readonly Json[]): Promise<R | null>;
}

export interface PluginEvents {
  /** Publishes an event this plugin declared; delivered only if the unit of work commits. */
  publish(event: string, payload: Json): Promise<void>;
}

export interface PluginJobs {
  /** Enqueues one of this plugin's jobs in the unit of work. */
  enqueue(job: string, payload?: Json, options?: { delaySeconds?: number }): Promise<void>;
}

export interface PluginAudit {
  /** Appends an audit entry (actor and tenant are filled in by the kernel). */
  record(entry: { action: string; resource: string; resourceId?: string; data?: Json }): Promise<void>;
}

export interface PluginHttp {
  /** fetch() restricted to the hosts the manifest declares as http:<host> capabilities. */
  fetch(
    url: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<{ status: number; headers: Record<string, string>; body: string }>;
}

/** What a tenant runs, as other plugins may know it: enabled plugins and what their manifests offer. */
export interface InstalledPlugin {
  id: string;
  version: string;
  /** The import targets its manifest declares (erp.imports), by local name. */
  imports: { [name: string]: { title: string; schema: { [key: string]: Json }; rollback: boolean } };
}

export interface PluginDirectory {
  /** The tenant's enabled plugins, read at call time (installs and removals show at once). */
  installed(): Promise<InstalledPlugin[]>;
}

export interface PluginLog {
  debug(message: string, data?: Json): void;
  info(message: string, data?: Json): void;
  warn(message: string, data?: Json): void;
  error(message: string, data?: Json): void;
}

export interface PluginContext {
  db: PluginDb;
  events: PluginEvents;
  jobs: PluginJobs;
  audit: PluginAudit;
  user: { id: string | null; kind: 'user' | 'apiKey' | 'system' };
  tenant: { id: string };
  log: PluginLog;
  http: PluginHttp;
  plugins: PluginDirectory;
  /** The tenant's settings for this plugin (validated against the plugin's configSchema). */
  config: { [key: string]: Json };
}
