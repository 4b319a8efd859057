// What the plugin context needs from the kernel's event bus, jobs and audit log. The plugin host
// depends on these narrow interfaces, not on those subsystems, so each is wired in container.ts.
import type { Json } from '@erp/sdk';
import type { Sql } from '../tenancy/index.js';

export interface Actor {
  kind: 'user' | 'apiKey' | 'plugin' | 'system';
  userId: string | null;
  apiKeyId: string | null;
  plugin: string | null;
}

export interface PluginEventSink {
  publish(sql: Sql, plugin: string, event: string, payload: Json): Promise<void>;
}

export interface PluginJobSink {
  enqueue(
    sql: Sql,
    plugin: string,
    job: string,
    payload: Json,
    options: { delaySeconds?: number },
  ): Promise<void>;
}

export interface PluginAuditSink {
  record(
    sql: Sql,
    entry: {
      actor: Actor;
      action: string;
      resource: string;
      resourceId?: string;
      data?: Json;
      requestId?: string;
      ip?: string;
    },
  ): Promise<void>;
}
