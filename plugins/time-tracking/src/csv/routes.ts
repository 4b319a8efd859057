// Bulk CSV: export entries of a period, and import draft entries for anyone (time.entries.import).
// An import is all or nothing: every bad row is named (field /body/csv/<row>/<column>, row 1 being
// the first data row) in one 422, and nothing is written.
import { type Json, PluginProblem, type PluginRoute, route, schema } from '@erp/sdk';
import { checkShape, insertEntry, ListQuery, listEntries } from '../entries/index.js';
import { bookable } from '../projects/index.js';
import { HOURS_PATTERN } from '../shared/index.js';
import { type CsvRow, fromCsv, IMPORT_REQUIRED, toCsv } from './format.js';

const Import = schema({
  type: 'object',
  additionalProperties: false,
  required: ['csv'],
  properties: { csv: { type: 'string', minLength: 1, maxLength: 5_000_000 } },
} as const);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOURS = new RegExp(HOURS_PATTERN);

/** Field-level checks of one row that need no database. */
function rowErrors(row: CsvRow, base: string): Array<{ field: string; message: string }> {
  const errors: Array<{ field: string; message: string }> = [];
  for (const c of IMPORT_REQUIRED)
    if (!row[c]) errors.push({ field: `${base}/${c}`, message: 'is required' });
  for (const c of ['userId', 'projectId', 'activityId'])
    if (row[c] && !UUID.test(row[c]!)) errors.push({ field: `${base}/${c}`, message: 'must be a uuid' });
  if (row.workDate && (!DATE.test(row.workDate) || Number.isNaN(Date.parse(row.workDate))))
    errors.push({ field: `${base}/workDate`, message: 'must be a date (YYYY-MM-DD)' });
  if (row.hours && !HOURS.test(row.hours))
    errors.push({
      field: `${base}/hours`,
      message: 'must be positive hours as a decimal (no sign, up to 4 decimals)',
    });
  for (const c of ['startedAt', 'endedAt'])
    if (row[c] && Number.isNaN(Date.parse(row[c]!)))
      errors.push({ field: `${base}/${c}`, message: 'must be a date-time' });
  if (row.billable && !['true', 'false'].includes(row.billable))
    errors.push({ field: `${base}/billable`, message: 'must be true or false' });
  if (row.reversesEntryId || row.status === 'running')
    errors.push({
      field: `${base}/reversesEntryId`,
      message: 'reversals and running timers are not imported',
    });
  return errors;
}

export const csvRoutes: Record<string, PluginRoute> = {
  'GET /export': route({
    permission: 'time.entries.read-all',
    summary: 'Time entries as CSV (the csv property), filtered like /team/entries',
    query: ListQuery,
    async handler(ctx, { query }) {
      const { entries } = await listEntries(ctx, query);
      return { rows: entries.length, csv: toCsv(entries as unknown as Record<string, unknown>[]) };
    },
  }),
  'POST /import': route({
    permission: 'time.entries.import',
    summary: 'Import draft time entries from CSV, all or nothing',
    body: Import,
    status: 201,
    async handler(ctx, { body }) {
      let rows: CsvRow[];
      try {
        rows = fromCsv(body.csv);
      } catch (err) {
        const message = `not readable as CSV: ${(err as Error).message}`;
        throw new PluginProblem(422, 'TIME_CSV_UNREADABLE', 'Unreadable CSV', `/body/csv: ${message}`, [
          { field: '/body/csv', message },
        ]);
      }
      if (rows.length === 0)
        throw new PluginProblem(422, 'TIME_CSV_EMPTY', 'No rows', '/body/csv: has no data rows', [
          { field: '/body/csv', message: 'has no data rows' },
        ]);
      const errors = rows.flatMap((r, i) => rowErrors(r, `/body/csv/${i + 1}`));
      if (errors.length) throw badRows(errors);
      const ids: string[] = [];
      for (const [i, r] of rows.entries()) {
        const base = `/body/csv/${i + 1}`;
        // Checks against the database stop at the first bad row; the transaction undoes the rest.
        const where = { projectId: r.projectId!, activityId: r.activityId || null, workDate: r.workDate! };
        await bookable(ctx, where, {
          project: `${base}/projectId`,
          activity: `${base}/activityId`,
          workDate: `${base}/workDate`,
        });
        const shape = await checkShape(
          ctx,
          r.userId!,
          {
            workDate: r.workDate!,
            hours: r.hours || null,
            startedAt: r.startedAt || null,
            endedAt: r.endedAt || null,
          },
          base,
          null,
        );
        ids.push(
          await insertEntry(ctx, r.userId!, {
            ...where,
            ...shape,
            billable: r.billable ? r.billable === 'true' : true,
            note: r.note || null,
            source: 'import',
          }),
        );
      }
      await ctx.audit.record({
        action: 'time.entries.imported',
        resource: 'time-entry',
        data: { rows: ids.length, entryIds: ids } as Json,
      });
      return { imported: ids.length, entryIds: ids };
    },
  }),
};

function badRows(errors: Array<{ field: string; message: string }>): PluginProblem {
  return new PluginProblem(
    422,
    'TIME_CSV_BAD_ROWS',
    'Bad rows in the CSV',
    errors
      .slice(0, 5)
      .map((e) => `${e.field}: ${e.message}`)
      .join('; '),
    errors,
  );
}
