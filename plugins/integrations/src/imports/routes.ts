// The import API: targets and their templates, upload in chunks (the request body limit holds),
// parse with a column mapping, preview (every bad cell by row and column), commit all-or-nothing
// or per row, the error file, and rollback.
import { createHash } from 'node:crypto';
import { type PluginRoute, route, schema } from '@erp/sdk';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { type Ctx, IdParams, notFound, refuse, Uuid } from '../shared/index.js';
import { requestRollback } from './answers.js';
import { COMMIT_JOB } from './commit-job.js';
import { missingProblem, resumeCommit } from './missing.js';
import { PARSE_JOB } from './parse-job.js';
import { IMPORT_COLUMNS, type ImportRow, loadImport } from './store.js';
import { fieldsOf, findTarget, pluginRunning, targetsOf } from './targets.js';

const READ = 'integrations.imports.read';
const WRITE = 'integrations.imports.write';
/** Largest file accepted (the chunks are kept until the import is deleted). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_CHUNK_BASE64 = 700_000;

const Mapping = {
  type: 'object',
  maxProperties: 100,
  additionalProperties: { type: 'string', minLength: 1, maxLength: 200 },
  description: 'Target field -> column header of the file; default: columns named like the fields',
} as const;

const NewImport = schema({
  type: 'object',
  additionalProperties: false,
  required: ['target', 'filename', 'format', 'sha256', 'size', 'chunks'],
  properties: {
    target: { type: 'string', maxLength: 100 },
    filename: { type: 'string', minLength: 1, maxLength: 255 },
    format: { type: 'string', enum: ['csv', 'xlsx'] },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    size: { type: 'integer', minimum: 1 },
    chunks: { type: 'integer', minimum: 1, maximum: 1000 },
    mapping: Mapping,
  },
} as const);

const ChunkParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'n'],
  properties: { id: Uuid, n: { type: 'integer', minimum: 0, maximum: 999 } },
} as const);
const Chunk = schema({
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: { type: 'string', minLength: 1, maxLength: MAX_CHUNK_BASE64, contentEncoding: 'base64' },
  },
} as const);
const Parse = schema({
  type: 'object',
  additionalProperties: false,
  properties: { mapping: Mapping },
} as const);
const Commit = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: {
      type: 'string',
      enum: ['all', 'per-row'],
      default: 'all',
      description: 'all: every row or none; per-row: the valid rows, the others in the error file',
    },
  },
} as const);
const RowsQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['valid', 'invalid', 'applied', 'failed'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const);
const TargetParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['target'],
  properties: { target: { type: 'string', maxLength: 100 } },
} as const);
const TemplateQuery = schema({
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: ['csv', 'xlsx'], default: 'csv' } },
} as const);

async function mustLoad(ctx: Ctx, id: string): Promise<ImportRow> {
  return (await loadImport(ctx, id)) ?? notFound('Import', '/params/id');
}

function expectStatus(imp: ImportRow, allowed: string[], what: string): void {
  if (!allowed.includes(imp.status))
    refuse(409, 'IMPORT_STATE', `Cannot ${what} now`, '/params/id', `the import is ${imp.status}`);
}

export const importRoutes: Record<string, PluginRoute> = {
  'GET /import-targets': route({
    permission: READ,
    summary: 'What files can be imported into, with each row\u2019s JSON schema',
    async handler(ctx) {
      return {
        targets: (await targetsOf(ctx)).map((t) => ({
          name: t.name,
          title: t.title,
          plugin: t.plugin,
          fields: fieldsOf(t),
          schema: t.schema,
          rollback: t.rollback,
        })),
      };
    },
  }),
  'GET /import-targets/:target/template': route({
    permission: READ,
    summary: 'An empty file with the target\u2019s columns (base64)',
    params: TargetParams,
    query: TemplateQuery,
    async handler(ctx, { params, query }) {
      const target = (await findTarget(ctx, params.target)) ?? notFound('Import target', '/params/target');
      const fields = fieldsOf(target);
      if ((query.format ?? 'csv') === 'csv')
        return {
          filename: `${target.name}.csv`,
          contentType: 'text/csv',
          base64: Buffer.from(stringify([fields])).toString('base64'),
        };
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet(target.title.slice(0, 31)).addRow(fields);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      return {
        filename: `${target.name}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        base64: buf.toString('base64'),
      };
    },
  }),
  'POST /imports': route({
    permission: WRITE,
    summary: 'Start an import; the same file (content hash) for the same target is the same import',
    body: NewImport,
    status: 201,
    async handler(ctx, { body }) {
      if (!(await findTarget(ctx, body.target))) {
        if (!(await pluginRunning(ctx, body.target)))
          refuse(
            422,
            'TARGET_PLUGIN_MISSING',
            'Import target not available',
            '/body/target',
            missingProblem(body.target).message,
          );
        refuse(422, 'TARGET_UNKNOWN', 'Unknown import target', '/body/target', 'is not an import target');
      }
      if (body.size > MAX_FILE_BYTES)
        refuse(
          422,
          'FILE_TOO_LARGE',
          'File too large',
          '/body/size',
          `must be at most ${MAX_FILE_BYTES} bytes`,
        );
      const same = await ctx.db.one<{ id: string }>(
        `select id from imports where target = $1 and sha256 = $2 and status <> 'rolled-back'`,
        [body.target, body.sha256],
      );
      if (same) return { ...(await loadImport(ctx, same.id)), existing: true };
      const created = await ctx.db.one<{ id: string }>(
        `insert into imports (target, filename, format, sha256, size, chunks, mapping)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [
          body.target,
          body.filename,
          body.format,
          body.sha256,
          body.size,
          body.chunks,
          body.mapping ? JSON.stringify(body.mapping) : null,
        ],
      );
      return { ...(await loadImport(ctx, created!.id)), existing: false };
    },
  }),
  'PUT /imports/:id/chunks/:n': route({
    permission: WRITE,
    summary: 'Upload one chunk of the file (base64)',
    params: ChunkParams,
    body: Chunk,
    status: 204,
    async handler(ctx, { params, body }) {
      const imp = await mustLoad(ctx, params.id);
      expectStatus(imp, ['uploading'], 'upload');
      if (params.n >= imp.chunks)
        refuse(422, 'CHUNK_OUT_OF_RANGE', 'No such chunk', '/params/n', `must be below ${imp.chunks}`);
      await ctx.db.query(
        `insert into import_chunks (import_id, n, data) values ($1, $2, $3)
         on conflict (tenant_id, import_id, n) do update set data = excluded.data`,
        [imp.id, params.n, body.data],
      );
      return null;
    },
  }),
  'POST /imports/:id/parse': route({
    permission: WRITE,
    summary: 'Read and validate the file (a job); the mapping replaces the one given at start',
    params: IdParams,
    body: Parse,
    status: 202,
    async handler(ctx, { params, body }) {
      const imp = await mustLoad(ctx, params.id);
      expectStatus(imp, ['uploading', 'validated', 'failed'], 'parse');
      const parts = await ctx.db.query<{ data: string }>(
        'select data from import_chunks where import_id = $1 order by n',
        [imp.id],
      );
      if (parts.length !== imp.chunks)
        refuse(
          409,
          'FILE_INCOMPLETE',
          'File incomplete',
          '/params/id',
          `${parts.length} of ${imp.chunks} chunks uploaded`,
        );
      const hash = createHash('sha256');
      for (const p of parts) hash.update(Buffer.from(p.data, 'base64'));
      if (hash.digest('hex') !== imp.sha256)
        refuse(
          422,
          'FILE_HASH_MISMATCH',
          'File does not match its hash',
          '/params/id',
          'the uploaded content has another SHA-256',
        );
      await ctx.db.query('delete from import_rows where import_id = $1', [imp.id]);
      await ctx.db.query(
        `update imports set status = 'parsing', mapping = coalesce($2, mapping), total_rows = 0, validated_rows = 0,
            invalid_rows = 0, error = null, updated_at = now() where id = $1`,
        [imp.id, body.mapping ? JSON.stringify(body.mapping) : null],
      );
      await ctx.jobs.enqueue(PARSE_JOB, { importId: imp.id, offset: 0 });
      return loadImport(ctx, imp.id);
    },
  }),
  'GET /imports/:id': route({
    permission: READ,
    summary:
      'An import\u2019s status and progress; one in flight whose target plugin is gone says so (error)',
    params: IdParams,
    async handler(ctx, { params }) {
      const imp = await mustLoad(ctx, params.id);
      // Seen at once, before the watch marks it: no answer can come while the plugin is away.
      if (
        (imp.status === 'committing' || imp.status === 'rolling-back') &&
        !(await pluginRunning(ctx, imp.target))
      )
        return { ...imp, error: missingProblem(imp.target) };
      return imp;
    },
  }),
  'GET /imports': route({
    permission: READ,
    async handler(ctx) {
      return {
        imports: await ctx.db.query(
          `select ${IMPORT_COLUMNS} from imports order by created_at desc limit 200`,
        ),
      };
    },
  }),
  'GET /imports/:id/rows': route({
    permission: READ,
    summary: 'The preview: staged rows with the errors of each bad cell (row, column, field)',
    params: IdParams,
    query: RowsQuery,
    async handler(ctx, { params, query }) {
      await mustLoad(ctx, params.id);
      const rows = await ctx.db.query(
        `select row_no as row, data, errors, status, result_id as "resultId" from import_rows
          where import_id = $1 and ($2::text is null or status = $2) order by row_no limit $3`,
        [params.id, query.status ?? null, query.limit ?? 100],
      );
      return { rows };
    },
  }),
  'GET /imports/:id/error-file': route({
    permission: READ,
    summary: 'The rows that were not imported, as CSV with their errors in a last column (base64)',
    params: IdParams,
    async handler(ctx, { params }) {
      const imp = await mustLoad(ctx, params.id);
      const rows = await ctx.db.query<{
        row: number;
        cells: string[];
        errors: { column: string | null; field: string; message: string }[];
      }>(
        `select row_no as row, cells, errors from import_rows where import_id = $1 and status in ('invalid', 'failed')
          order by row_no limit 100000`,
        [imp.id],
      );
      const lines = rows.map((r) => [
        String(r.row),
        ...r.cells,
        r.errors.map((e) => `${e.column ?? e.field}: ${e.message}`).join('; '),
      ]);
      const csv = stringify([['row', ...Object.values(imp.mapping ?? {}), 'errors'], ...lines]);
      return {
        filename: `errors-${imp.id}.csv`,
        contentType: 'text/csv',
        rows: rows.length,
        base64: Buffer.from(csv).toString('base64'),
      };
    },
  }),
  'POST /imports/:id/commit': route({
    permission: WRITE,
    summary: 'Apply the valid rows through the target plugin (a job; progress on the import)',
    params: IdParams,
    body: Commit,
    status: 202,
    async handler(ctx, { params, body }) {
      const imp = await mustLoad(ctx, params.id);
      // Rows would go to nobody: refused, naming the plugin; the import keeps its state for a retry.
      if (
        (imp.status === 'validated' || imp.status === 'committing') &&
        !(await pluginRunning(ctx, imp.target))
      )
        refuse(
          409,
          'TARGET_PLUGIN_MISSING',
          'Target plugin not installed',
          '/params/id',
          missingProblem(imp.target).message,
        );
      // A commit that waited for its plugin resumes.
      if (imp.status === 'committing' && (await resumeCommit(ctx, imp.id))) return loadImport(ctx, imp.id);
      if (imp.status === 'committing' || imp.status === 'committed') return imp;
      expectStatus(imp, ['validated'], 'commit');
      const mode = body.mode ?? 'all';
      if (mode === 'all' && imp.invalidRows > 0)
        refuse(
          409,
          'IMPORT_HAS_ERRORS',
          'The file has invalid rows',
          '/body/mode',
          `${imp.invalidRows} row(s) are invalid: fix them, or commit per-row`,
        );
      await ctx.db.query(
        `update imports set status = 'committing', mode = $2, updated_at = now() where id = $1`,
        [imp.id, mode],
      );
      await ctx.jobs.enqueue(COMMIT_JOB, { importId: imp.id });
      await ctx.audit.record({
        action: 'integrations.import.committed',
        resource: 'import',
        resourceId: imp.id,
        data: { target: imp.target, mode },
      });
      return loadImport(ctx, imp.id);
    },
  }),
  'POST /imports/:id/rollback': route({
    permission: WRITE,
    summary: 'Remove what the import created, if nothing uses it yet (all or nothing)',
    params: IdParams,
    status: 202,
    async handler(ctx, { params }) {
      const imp = await mustLoad(ctx, params.id);
      expectStatus(imp, ['committed'], 'roll back');
      const target = await findTarget(ctx, imp.target);
      if (!target)
        refuse(
          409,
          'TARGET_PLUGIN_MISSING',
          'Target plugin not installed',
          '/params/id',
          missingProblem(imp.target).message,
        );
      if (!target.rollback)
        refuse(
          409,
          'ROLLBACK_UNSUPPORTED',
          'The target cannot undo imports',
          '/params/id',
          `${target.name} does not roll back`,
        );
      await requestRollback(ctx, imp.id, 'rolled-back');
      await ctx.audit.record({
        action: 'integrations.import.rollback',
        resource: 'import',
        resourceId: imp.id,
      });
      return loadImport(ctx, imp.id);
    },
  }),
};
