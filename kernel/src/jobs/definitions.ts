// The jobs that exist, per (plugin, name). Enqueueing an undeclared job or a payload that breaks
// its schema is an error in the caller's unit of work, never a job that can only fail later.
import type { ValidateFunction } from 'ajv';
import { Cron } from 'croner';
import { EventError } from '../events/index.js';
import { ajvFor } from '../validation/index.js';
import type { JobSpec } from './types.js';

const PLUGIN = /^[a-z][a-z0-9-]{0,62}$/;
const NAME = /^[a-z][a-z0-9-]{0,99}$/;

export interface JobDefinition extends JobSpec {
  key: string;
  maxAttempts: number;
  validate?: ValidateFunction;
  schedule?: Cron;
}

export class JobDefinitions {
  private readonly byKey = new Map<string, JobDefinition>();
  private readonly ajv = ajvFor('payload');

  constructor(private readonly defaultMaxAttempts: number) {}

  define(spec: JobSpec): JobDefinition {
    if (!PLUGIN.test(spec.plugin) || !NAME.test(spec.name)) {
      throw new EventError(
        'ERP_JOB_INVALID',
        `job ${spec.plugin}.${spec.name}: plugin and name must be lowercase letters, digits and dashes`,
      );
    }
    const key = `${spec.plugin}.${spec.name}`;
    if (this.byKey.has(key))
      throw new EventError('ERP_JOB_EXISTS', `job ${key} is already defined in this instance`);
    if (typeof spec.run !== 'function')
      throw new EventError('ERP_JOB_INVALID', `job ${key} has no run function`);
    const maxAttempts = spec.maxAttempts ?? this.defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
      throw new EventError('ERP_JOB_INVALID', `maxAttempts of ${key} must be an integer from 1 to 100`);
    }
    let validate: ValidateFunction | undefined;
    if (spec.schema) {
      try {
        validate = this.ajv.compile(spec.schema);
      } catch (err) {
        throw new EventError(
          'ERP_JOB_INVALID',
          `schema of job ${key} does not compile: ${(err as Error).message}`,
        );
      }
    }
    let schedule: Cron | undefined;
    if (spec.cron !== undefined) {
      try {
        // paused and without a callback: croner only computes the periods, the scheduler fires them.
        schedule = new Cron(spec.cron, {
          paused: true,
          timezone: spec.timezone ?? 'UTC',
          mode: '5-or-6-parts',
        });
      } catch (err) {
        throw new EventError('ERP_JOB_INVALID', `cron of job ${key}: ${(err as Error).message}`);
      }
    }
    const def: JobDefinition = { ...spec, key, maxAttempts, validate, schedule };
    this.byKey.set(key, def);
    return def;
  }

  undefine(plugin: string, name: string): JobDefinition | undefined {
    const key = `${plugin}.${name}`;
    const def = this.byKey.get(key);
    this.byKey.delete(key);
    return def;
  }

  get(key: string): JobDefinition | undefined {
    return this.byKey.get(key);
  }

  require(key: string): JobDefinition {
    const def = this.byKey.get(key);
    if (!def) throw new EventError('ERP_JOB_UNKNOWN', `job ${JSON.stringify(key)} is not defined`);
    return def;
  }

  checkPayload(def: JobDefinition, payload: unknown): void {
    if (def.validate && !def.validate(payload)) {
      const errors = (def.validate.errors ?? []).map((e) => ({
        field: `/payload${e.instancePath}`,
        message: e.message ?? 'is invalid',
      }));
      throw new EventError(
        'ERP_JOB_PAYLOAD_INVALID',
        `payload of job ${def.key} does not match its schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        errors,
      );
    }
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  scheduled(): JobDefinition[] {
    return [...this.byKey.values()].filter((d) => d.schedule);
  }
}
