// From a row of text cells to the target's object, through the column mapping, validated against
// the target's schema: every bad cell is named by its row and column (and the target field).
import type { FileRow } from './files.js';
import { fieldsOf, type ImportTarget, validatorFor } from './targets.js';

export type Mapping = Record<string, string>;

export interface CellError {
  row: number;
  column: string | null;
  field: string;
  message: string;
}

export interface MappingPlan {
  /** field -> index of its column in the header */
  index: Map<string, number>;
  mapping: Mapping;
}

/** Checks the mapping against the header; errors name the column or the field. */
export function planMapping(
  target: ImportTarget,
  header: string[],
  asked: Mapping | null,
): { plan: MappingPlan } | { errors: CellError[] } {
  const fields = fieldsOf(target);
  const byName = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const mapping: Mapping = {};
  if (asked) Object.assign(mapping, asked);
  else
    for (const f of fields)
      if (byName.has(f.toLowerCase())) mapping[f] = header[byName.get(f.toLowerCase())!]!.trim();
  const errors: CellError[] = [];
  const index = new Map<string, number>();
  for (const [field, column] of Object.entries(mapping)) {
    if (!fields.includes(field)) {
      errors.push({ row: 1, column, field, message: `${target.name} has no field ${field}` });
      continue;
    }
    const i = byName.get(column.trim().toLowerCase());
    if (i === undefined)
      errors.push({ row: 1, column, field, message: `the file has no column "${column}"` });
    else index.set(field, i);
  }
  const required = ((target.schema as { required?: string[] }).required ?? []) as string[];
  for (const f of required)
    if (!(f in mapping))
      errors.push({ row: 1, column: null, field: f, message: 'required field is not mapped to a column' });
  return errors.length ? { errors } : { plan: { index, mapping } };
}

export function buildRow(
  target: ImportTarget,
  plan: MappingPlan,
  row: FileRow,
): { data: Record<string, unknown>; errors: CellError[] | null } {
  const data: Record<string, unknown> = {};
  for (const [field, i] of plan.index) {
    const v = (row.cells[i] ?? '').trim();
    if (v !== '') data[field] = v;
  }
  const validate = validatorFor(target);
  if (validate(data)) return { data, errors: null };
  const errors = (validate.errors ?? []).map((e) => {
    const params = e.params as { missingProperty?: string };
    const field =
      e.keyword === 'required' ? String(params.missingProperty) : (e.instancePath.split('/')[1] ?? '');
    return { row: row.rowNo, column: plan.mapping[field] ?? null, field, message: e.message ?? 'is invalid' };
  });
  return { data, errors };
}
