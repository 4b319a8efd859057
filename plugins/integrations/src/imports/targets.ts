// Import targets: what a file can be imported into. A target is a row JSON schema (the preview
// validates every row against it and names each bad cell) plus the plugin that applies the rows:
// integrations publishes them as integrations.import.batch events and the target plugin, which
// subscribes, writes them in its own tables and answers <plugin>.import.applied (and, for a
// rollback, <plugin>.import.rolled-back). Cells arrive as text: the schema's types are coerced.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface ImportTarget {
  name: string;
  /** The plugin that applies the rows (subscribes to integrations.import.batch). */
  plugin: string;
  title: string;
  schema: Record<string, unknown>;
}

const Code = { type: 'string', minLength: 1, maxLength: 64, pattern: '^\\S+$' } as const;
const Name = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const TARGETS: readonly ImportTarget[] = [
  {
    name: 'warehouses.items',
    plugin: 'warehouses',
    title: 'Items',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['sku', 'name', 'uom'],
      properties: {
        sku: Code,
        name: Name,
        uom: { type: 'string', minLength: 1, maxLength: 20 },
        qtyScale: { type: 'integer', minimum: 0, maximum: 6 },
        tracking: { type: 'string', enum: ['none', 'lot', 'serial'] },
      },
    },
  },
  {
    name: 'warehouses.locations',
    plugin: 'warehouses',
    title: 'Warehouses and locations (a row without a location code creates the warehouse)',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['warehouseCode', 'name'],
      properties: {
        warehouseCode: Code,
        code: Code,
        name: Name,
        kind: { type: 'string', enum: ['location', 'bin'] },
        parentCode: Code,
      },
    },
  },
  {
    name: 'warehouses.opening-stock',
    plugin: 'warehouses',
    title:
      'Opening stock (posted as receipts; lot-tracked items need a lot, serial-tracked ones are refused)',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['sku', 'warehouseCode', 'locationCode', 'qty'],
      properties: {
        sku: Code,
        warehouseCode: Code,
        locationCode: Code,
        qty: { type: 'string', pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,6})?$' },
        unitCost: { type: 'string', pattern: '^(0|[1-9][0-9]{0,13})(\\.[0-9]{1,10})?$' },
        lot: { type: 'string', minLength: 1, maxLength: 100 },
        lotExpiresOn: { type: 'string', format: 'date' },
      },
    },
  },
];

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: false, strict: false });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();

export function findTarget(name: string): ImportTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}

export function validatorFor(target: ImportTarget): ValidateFunction {
  let v = validators.get(target.name);
  if (!v) {
    v = ajv.compile(target.schema);
    validators.set(target.name, v);
  }
  return v;
}

/** The target's fields in schema order: the template's header row. */
export function fieldsOf(target: ImportTarget): string[] {
  return Object.keys((target.schema.properties ?? {}) as Record<string, unknown>);
}
