// The export API: start a filtered export, follow it, download it chunk by chunk (every chunk
// under the request limits, so neither side holds the whole file), and schedules.
import { type PluginRoute, route, schema } from '@erp/sdk';
import { Ajv } from 'ajv';
import { type Ctx, IdParams, notFound, refuse, Uuid } from '../shared/index.js';
import { startExport } from './start.js';
import { EXPORT_TARGETS, findExportTarget } from './targets.js';

const READ = 'integrations.exports.read';
const WRITE = 'integrations.exports.write';

const ajv = new Ajv({ allErrors: true, strict: false });

const Format = { type: 'string', enum: ['csv', 'ndjson', 'xlsx'] } as const;
const NewExport = schema({
  type: 'object',
  additionalProperties: false,
  required: ['target', 'format'],
  properties: { target: { type: 'string', maxLength: 100 }, format: Format, filter: { type: 'object' } },
} as const);
const NewSchedule = schema({
  type: 'object',
  additionalProperties: false,
  required: ['target', 'format', 'everyMinutes'],
  properties: {
    target: { type: 'string', maxLength: 100 },
    format: Format,
    filter: { type: 'object' },
    everyMinutes: { type: 'integer', minimum: 1, maximum: 44_640 },
  },
} as const);
const ChunkParams = schema({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'n'],
  properties: { id: Uuid, n: { type: 'integer', minimum: 0 } },
} as const);

const EXPORT_COLUMNS = `id, target, format, filter, schedule_id as "scheduleId", status, rows, chunks, bytes::text as bytes,
  iso(created_at) as "createdAt", iso(completed_at) as "completedAt"`;

/** Checks the target and its filter; answers the filter to store. */
export function checkExport(body: {
  target: string;
  filter?: Record<string, unknown>;
}): Record<string, unknown> {
  const target = findExportTarget(body.target);
  if (!target)
    refuse(422, 'TARGET_UNKNOWN', 'Unknown export target', '/body/target', 'is not an export target');
  const filter = body.filter ?? {};
  const validate = ajv.compile(target.filter);
  if (!validate(filter)) {
    const e = validate.errors?.[0];
    const field =
      e?.keyword === 'additionalProperties'
        ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}`
        : (e?.instancePath ?? '');
    refuse(422, 'FILTER_INVALID', 'Invalid filter', `/body/filter${field}`, e?.message ?? 'is invalid');
  }
  return filter;
}

const one = (ctx: Ctx, id: string) => ctx.db.one(`select ${EXPORT_COLUMNS} from exports where id = $1`, [id]);

export const exportRoutes: Record<string, PluginRoute> = {
  'GET /export-targets': route({
    permission: READ,
    async handler() {
      return { targets: EXPORT_TARGETS };
    },
  }),
  'POST /exports': route({
    permission: WRITE,
    summary: 'Start a filtered export (CSV, NDJSON or XLSX); follow it with GET /exports/:id',
    body: NewExport,
    status: 202,
    async handler(ctx, { body }) {
      const filter = checkExport(body);
      const id = await startExport(ctx, body.target, body.format, filter, null);
      await ctx.audit.record({
        action: 'integrations.export.started',
        resource: 'export',
        resourceId: id,
        data: { target: body.target, format: body.format },
      });
      return one(ctx, id);
    },
  }),
  'GET /exports': route({
    permission: READ,
    async handler(ctx) {
      return {
        exports: await ctx.db.query(
          `select ${EXPORT_COLUMNS} from exports order by created_at desc limit 200`,
        ),
      };
    },
  }),
  'GET /exports/:id': route({
    permission: READ,
    params: IdParams,
    async handler(ctx, { params }) {
      return (await one(ctx, params.id)) ?? notFound('Export', '/params/id');
    },
  }),
  'GET /exports/:id/chunks/:n': route({
    permission: READ,
    summary: 'One chunk of a completed export (base64); concatenated in order they are the file',
    params: ChunkParams,
    async handler(ctx, { params }) {
      const exp = await ctx.db.one<{ status: string; chunks: number }>(
        'select status, chunks from exports where id = $1',
        [params.id],
      );
      if (!exp) notFound('Export', '/params/id');
      if (exp.status !== 'completed')
        refuse(409, 'EXPORT_RUNNING', 'Export not finished', '/params/id', `the export is ${exp.status}`);
      const chunk = await ctx.db.one<{ data: string }>(
        'select data from export_chunks where export_id = $1 and n = $2',
        [params.id, params.n],
      );
      if (!chunk) notFound('Chunk', '/params/n');
      return { n: params.n, of: exp.chunks, base64: chunk.data };
    },
  }),
  'POST /export-schedules': route({
    permission: WRITE,
    summary:
      'Export every N minutes; each run announces integrations.export.completed (webhooks can deliver it)',
    body: NewSchedule,
    status: 201,
    async handler(ctx, { body }) {
      const filter = checkExport(body);
      return ctx.db.one(
        `insert into export_schedules (target, format, filter, every_minutes, next_run_at)
         values ($1, $2, $3, $4, now()) returning id, target, format, filter, every_minutes as "everyMinutes",
           iso(next_run_at) as "nextRunAt", enabled`,
        [body.target, body.format, JSON.stringify(filter), body.everyMinutes],
      );
    },
  }),
  'GET /export-schedules': route({
    permission: READ,
    async handler(ctx) {
      return {
        schedules: await ctx.db.query(
          `select id, target, format, filter, every_minutes as "everyMinutes", iso(next_run_at) as "nextRunAt", enabled
             from export_schedules order by created_at`,
        ),
      };
    },
  }),
  'DELETE /export-schedules/:id': route({
    permission: WRITE,
    params: IdParams,
    status: 204,
    async handler(ctx, { params }) {
      const gone = await ctx.db.query('delete from export_schedules where id = $1 returning id', [params.id]);
      if (!gone.length) notFound('Schedule', '/params/id');
      return null;
    },
  }),
};
