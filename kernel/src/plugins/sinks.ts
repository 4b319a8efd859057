// What the plugin context needs from the kernel's event bus, jobs and audit log. The plugin host
// depends on these narrow interfaces, not on those subsystems, so each is wired in container.ts.
import type { Json } from '@erp/sdk';
import type { AuditActor, AuditRecordInput } from '../audit/index.js';
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

/**
 * The sinks over the kernel's bus, jobs and audit log. An entry a plugin records names the plugin
 * as its actor, with the user (or API key's user) behind the call: an auditor sees which code
 * acted for whom. Entries the kernel records (lifecycle steps) name the user.
 */
export function pluginSinks(d: {
  events: { publish(sql: Sql, type: string, payload: unknown): Promise<unknown> };
  jobs: {
    enqueue(sql: Sql, job: string, payload: Json, options: { delaySeconds?: number }): Promise<unknown>;
  };
  audit: { record(sql: Sql, input: AuditRecordInput): Promise<unknown> };
}): { events: PluginEventSink; jobs: PluginJobSink; audit: PluginAuditSink } {
  return {
    events: {
      async publish(sql, plugin, event, payload) {
        await d.events.publish(sql, `${plugin}.${event}`, payload);
      },
    },
    jobs: {
      async enqueue(sql, plugin, job, payload, options) {
        await d.jobs.enqueue(sql, `${plugin}.${job}`, payload ?? {}, options);
      },
    },
    audit: {
      async record(sql, e) {
        const a = e.actor;
        const actor: AuditActor = a.plugin
          ? { type: 'plugin', id: a.plugin, userId: a.userId }
          : a.kind === 'apiKey'
            ? { type: 'apiKey', id: a.apiKeyId, userId: a.userId }
            : a.kind === 'user'
              ? { type: 'user', id: a.userId, userId: a.userId }
              : { type: 'system', id: 'kernel', userId: null };
        await d.audit.record(sql, {
          actor,
          action: e.action,
          resource: { type: e.resource, id: e.resourceId ?? null },
          change: (e.data ?? null) as Json,
          requestId: e.requestId ?? null,
          clientIp: e.ip ?? null,
        });
      },
    },
  };
}
