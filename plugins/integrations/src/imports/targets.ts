// Import targets: what a file can be imported into, discovered per tenant at run time from the
// plugins it has installed and enabled (ctx.plugins): each plugin's manifest declares its targets
// in erp.imports (a title and the row JSON schema), named here `<plugin id>.<name>`. The preview
// validates every row against the schema and names each bad cell; integrations publishes the rows
// as integrations.import.batch events and the target plugin, which subscribes, writes them in its
// own tables and answers <plugin>.import.applied (for a rollback, <plugin>.import.rolled-back).
// Cells arrive as text: the schema's types are coerced.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Ctx } from '../shared/index.js';

export interface ImportTarget {
  name: string;
  /** The plugin that applies the rows (subscribes to integrations.import.batch). */
  plugin: string;
  /** Its installed version: a new version may change the schema. */
  version: string;
  title: string;
  schema: Record<string, unknown>;
  /** Whether the plugin undoes imports (integrations.import.rollback). */
  rollback: boolean;
}

/** The plugin a target name belongs to: targets are named `<plugin id>.<name>`. */
export const pluginOf = (target: string) => target.split('.')[0]!;

/** The tenant's import targets, from what it runs now. */
export async function targetsOf(ctx: Ctx): Promise<ImportTarget[]> {
  const plugins = await ctx.plugins.installed();
  return plugins.flatMap((p) =>
    Object.entries(p.imports).map(([name, t]) => ({
      name: `${p.id}.${name}`,
      plugin: p.id,
      version: p.version,
      title: t.title,
      schema: t.schema,
      rollback: t.rollback,
    })),
  );
}

export async function findTarget(ctx: Ctx, name: string): Promise<ImportTarget | undefined> {
  return (await targetsOf(ctx)).find((t) => t.name === name);
}

/** Whether the plugin of a target is installed and enabled for the tenant now. */
export async function pluginRunning(ctx: Ctx, target: string): Promise<boolean> {
  const id = pluginOf(target);
  return (await ctx.plugins.installed()).some((p) => p.id === id);
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: false, strict: false });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();

export function validatorFor(target: ImportTarget): ValidateFunction {
  const key = `${target.name}@${target.version}`;
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(target.schema);
    validators.set(key, v);
  }
  return v;
}

/** The target's fields in schema order: the template's header row. */
export function fieldsOf(target: ImportTarget): string[] {
  return Object.keys((target.schema.properties ?? {}) as Record<string, unknown>);
}
