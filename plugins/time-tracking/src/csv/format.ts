// The CSV form of time entries, one row per entry, with a header row. Export writes every column;
// import reads the columns a new entry needs (userId, projectId, activityId, workDate, hours or
// startedAt and endedAt, billable, note) and ignores the rest, so an export imports as it is.
// The packages' browser builds (self-contained ES modules, Buffer polyfilled inside) so the same
// code also runs in the kernel's sandbox, which has no Node built-ins.
import { parse } from 'csv-parse/browser/esm/sync';
import { stringify } from 'csv-stringify/browser/esm/sync';

export const EXPORT_COLUMNS = [
  'entryId',
  'userId',
  'projectId',
  'projectCode',
  'activityId',
  'workDate',
  'startedAt',
  'endedAt',
  'hours',
  'billable',
  'note',
  'status',
  'reversesEntryId',
  'billRate',
  'billCurrency',
  'billAmount',
] as const;

export const IMPORT_REQUIRED = ['userId', 'projectId', 'workDate'] as const;

export type CsvRow = Record<string, string>;

export function toCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  return stringify(
    rows.map((r) => EXPORT_COLUMNS.map((c) => (r[c] == null ? '' : String(r[c])))),
    { header: true, columns: [...EXPORT_COLUMNS] },
  );
}

/** Rows keyed by header; a malformed file throws with the line it failed on. */
export function fromCsv(text: string): CsvRow[] {
  return parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as CsvRow[];
}
