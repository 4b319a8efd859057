// Every event type has a JSON schema, declared by the plugin that publishes it (the kernel declares
// its own under the plugin name `kernel`). Publishing validates the payload against the compiled
// schema before anything is written, so a bad payload fails the unit of work instead of reaching
// subscribers; subscribing to a type nobody declared is refused at registration.
import type { ValidateFunction } from 'ajv';
import { ajvFor } from '../validation/index.js';
import { EventError } from './errors.js';
import { checkPlugin, EVENT_NAME } from './names.js';

export type JsonSchema = Record<string, unknown> | boolean;

export interface EventDefinition {
  schema: JsonSchema;
  /**
   * Also delivered to every instance (listen()), not only to durable subscribers: for events that
   * change per-instance state, like `kernel.plugin.changed`.
   */
  broadcast?: boolean;
  description?: string;
}

export interface EventType {
  type: string;
  plugin: string;
  broadcast: boolean;
  description: string;
  schema: JsonSchema;
  validate: ValidateFunction;
}

function isDefinition(value: JsonSchema | EventDefinition): value is EventDefinition {
  return typeof value === 'object' && value !== null && 'schema' in value && !('type' in value);
}

export class EventRegistry {
  private readonly types = new Map<string, EventType>();
  // No coercion and no defaults: the payload is stored exactly as validated.
  private readonly ajv = ajvFor('payload');

  /** Declares (or, for the same plugin, redeclares on upgrade) the event types of one plugin. */
  define(plugin: string, events: Record<string, JsonSchema | EventDefinition>): void {
    checkPlugin(plugin);
    const compiled: EventType[] = [];
    for (const [event, value] of Object.entries(events)) {
      if (!EVENT_NAME.test(event)) {
        throw new EventError(
          'ERP_EVENT_NAME_INVALID',
          `event name ${JSON.stringify(event)} of ${plugin} is not dot-separated lowercase tokens`,
        );
      }
      const def = isDefinition(value) ? value : { schema: value };
      let validate: ValidateFunction;
      try {
        validate = this.ajv.compile(def.schema);
      } catch (err) {
        throw new EventError(
          'ERP_EVENT_SCHEMA_INVALID',
          `schema of ${plugin}.${event} does not compile: ${(err as Error).message}`,
        );
      }
      compiled.push({
        type: `${plugin}.${event}`,
        plugin,
        broadcast: def.broadcast ?? false,
        description: def.description ?? '',
        schema: def.schema,
        validate,
      });
    }
    // All or nothing: a plugin with one bad schema declares none.
    for (const t of compiled) this.types.set(t.type, t);
  }

  /** Removes every event type a plugin declared (uninstall). */
  undefine(plugin: string): void {
    for (const [type, t] of this.types) if (t.plugin === plugin) this.types.delete(type);
  }

  get(type: string): EventType | undefined {
    return this.types.get(type);
  }

  require(type: string): EventType {
    const t = this.types.get(type);
    if (!t)
      throw new EventError(
        'ERP_EVENT_UNKNOWN',
        `event type ${JSON.stringify(type)} is not declared by any plugin`,
      );
    return t;
  }

  /** Throws ERP_EVENT_PAYLOAD_INVALID, naming each field, when the payload breaks the schema. */
  validate(type: string, payload: unknown): EventType {
    const t = this.require(type);
    if (!t.validate(payload)) {
      const errors = (t.validate.errors ?? []).map((e) => {
        const params = e.params as Record<string, unknown>;
        let field = `/payload${e.instancePath}`;
        if (e.keyword === 'required') field = `${field}/${String(params.missingProperty)}`;
        if (e.keyword === 'additionalProperties') field = `${field}/${String(params.additionalProperty)}`;
        return { field, message: e.message ?? 'is invalid' };
      });
      throw new EventError(
        'ERP_EVENT_PAYLOAD_INVALID',
        `payload of ${type} does not match its schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        errors,
      );
    }
    return t;
  }

  list(): Array<Omit<EventType, 'validate'>> {
    return [...this.types.values()]
      .map(({ validate: _v, ...rest }) => rest)
      .sort((a, b) => a.type.localeCompare(b.type));
  }
}
