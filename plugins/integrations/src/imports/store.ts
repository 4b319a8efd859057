// Reads and writes of the import tables that several steps share.
import { createHash } from 'node:crypto';
import type { Ctx } from '../shared/index.js';
import type { Format } from './files.js';
import type { Mapping } from './rows.js';

export interface ImportRow {
  id: string;
  target: string;
  format: Format;
  sha256: string;
  chunks: number;
  mapping: Mapping | null;
  mode: 'all' | 'per-row' | null;
  status: string;
  totalRows: number;
  invalidRows: number;
  batches: number;
  error: unknown;
}

export const IMPORT_COLUMNS = `id, target, filename, format, sha256, size, chunks, mapping, mode, status,
  total_rows as "totalRows", validated_rows as "validatedRows", invalid_rows as "invalidRows",
  batches, batches_sent as "batchesSent", batches_applied as "batchesApplied", applied_rows as "appliedRows",
  failed_rows as "failedRows", error, iso(created_at) as "createdAt", iso(updated_at) as "updatedAt"`;

export function loadImport(ctx: Ctx, id: string): Promise<ImportRow | null> {
  return ctx.db.one<ImportRow>(`select ${IMPORT_COLUMNS} from imports where id = $1`, [id]);
}

/** The uploaded file, or null when a chunk is missing or the content does not match its hash. */
export async function loadFile(ctx: Ctx, imp: ImportRow): Promise<Buffer | null> {
  const parts = await ctx.db.query<{ data: string }>(
    'select data from import_chunks where import_id = $1 order by n',
    [imp.id],
  );
  if (parts.length !== imp.chunks) return null;
  const file = Buffer.concat(parts.map((p) => Buffer.from(p.data, 'base64')));
  return createHash('sha256').update(file).digest('hex') === imp.sha256 ? file : null;
}

export async function setStatus(ctx: Ctx, id: string, status: string, error: unknown = null): Promise<void> {
  await ctx.db.query('update imports set status = $2, error = $3, updated_at = now() where id = $1', [
    id,
    status,
    error === null ? null : JSON.stringify(error),
  ]);
}
