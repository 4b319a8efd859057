// `erp audit …`: verify a tenant's chain in the database, export it, or verify an export with no
// database at all. Exit 0: valid; 1: tampering found (the first bad seq is named); 2: usage.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, loadOrCreateSecrets } from '../config/index.js';
import { openDatabase } from '../db/index.js';
import { isUuid, TenantTx } from '../tenancy/index.js';
import { AuditLog } from './audit-log.js';
import { parseCheckpoint } from './checkpoint.js';
import { ExportFormatError, openExport } from './export.js';
import { AuditKeyError, loadAuditKeys } from './keys.js';
import { NoteFormatError, parseVerifierKey, type VerifierKey } from './note.js';
import { exportRuns, threadsFor, verifyRuns } from './parallel.js';
import { checkpointDir } from './settings.js';
import { DirectorySink } from './sink.js';
import { ChainVerifier, type VerifyReport } from './verifier.js';

export { AUDIT_HELP } from './help.js';

/** A mistake in how the command was called or in a file it was given: exit 2, one line. */
export class AuditCliError extends Error {
  override name = 'AuditCliError';
}

function printReport(r: VerifyReport & { pending?: number }, json: boolean): number {
  if (json) console.log(JSON.stringify(r, null, 2));
  else {
    const ext = r.external
      ? `${r.external.source}: latest size ${r.external.latestSize}${r.external.matches ? ', matches' : ''}`
      : 'none';
    console.log(
      `tenant ${r.tenantId}: ${r.entries} entries${r.pending ? ` (+${r.pending} not sealed yet)` : ''}, ` +
        `${r.checkpoints.stored} stored checkpoints (${r.checkpoints.matching} matching), external checkpoint: ${ext}`,
    );
    for (const w of r.warnings) console.log(`warning: ${w}`);
    if (r.valid) console.log(`OK: chain valid up to seq ${r.entries}, root ${r.root}`);
    else {
      console.log(`TAMPERED: first bad seq ${r.firstBadSeq ?? '(none: a checkpoint is bad)'}`);
      for (const p of r.problems) console.log(`  [${p.code}]${p.seq ? ` seq ${p.seq}:` : ''} ${p.message}`);
    }
  }
  return r.valid ? 0 : 1;
}

async function withDatabase<T>(
  fn: (ctx: { audit: AuditLog; tenantId: string }) => Promise<T>,
  tenant: string | undefined,
  keyArgs: string[] | null,
): Promise<T> {
  if (!tenant) throw new AuditCliError('--tenant is required');
  const config = loadConfig();
  // An export only lists the keys it knows of (informational); verifying needs trusted ones.
  const trusted =
    keyArgs === null ? await trustedKeys([]).catch(() => [] as VerifierKey[]) : await trustedKeys(keyArgs);
  const db = await openDatabase(config, loadOrCreateSecrets(config.ERP_DATA_DIR, config.ERP_SECRET_KEY));
  try {
    const { rows } = await db.owner.query<{ id: string }>(
      `select id from erp.tenants where slug = $1 or ($2::uuid is not null and id = $2::uuid)`,
      [tenant, isUuid(tenant) ? tenant : null],
    );
    if (!rows[0]) throw new AuditCliError(`--tenant ${tenant}: no such tenant`);
    const audit = new AuditLog({
      tenantTx: new TenantTx(db.owner),
      keys: { trusted },
      sink: new DirectorySink(checkpointDir(config)),
    });
    return await fn({ audit, tenantId: rows[0].id });
  } finally {
    await db.close();
  }
}

async function trustedKeys(given: string[]): Promise<VerifierKey[]> {
  if (given.length) {
    return given.map((k) => {
      try {
        return parseVerifierKey(k);
      } catch (err) {
        throw new AuditCliError(`--key ${k}: ${(err as Error).message}`);
      }
    });
  }
  try {
    return loadAuditKeys(loadConfig(), { create: false }).trusted;
  } catch (err) {
    if (err instanceof AuditKeyError)
      throw new AuditCliError(`no trusted key: pass the signer's verifier key with --key (${err.message})`);
    throw err;
  }
}

async function verifyFile(file: string, checkpointFile: string | undefined, keys: string[], json: boolean) {
  if (!checkpointFile)
    throw new AuditCliError('--checkpoint is required with --file (a checkpoint kept apart from the export)');
  let note: string;
  try {
    note = await readFile(checkpointFile, 'utf8');
    parseCheckpoint(note);
  } catch (err) {
    if (err instanceof NoteFormatError)
      throw new AuditCliError(`--checkpoint ${checkpointFile}: malformed checkpoint: ${err.message}`);
    throw new AuditCliError(`--checkpoint ${checkpointFile}: ${(err as Error).message}`);
  }
  const trusted = await trustedKeys(keys);
  try {
    const exp = await openExport(file);
    const verifier = new ChainVerifier({
      tenantId: exp.header.tenantId,
      trusted,
      checkpoints: exp.checkpoints,
      external: { source: checkpointFile, notes: [note] },
    });
    await verifyRuns(verifier, exportRuns(exp), threadsFor(exp.entriesAtMost));
    return printReport(verifier.finish(), json);
  } catch (err) {
    if (err instanceof ExportFormatError) throw new AuditCliError(`--file ${file}: ${err.message}`);
    throw err;
  }
}

export async function auditCommand(sub: string | undefined, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenant: { type: 'string' },
      file: { type: 'string' },
      checkpoint: { type: 'string' },
      key: { type: 'string', multiple: true },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const json = values.json ?? false;
  switch (sub) {
    case 'verify':
      if (values.file) return verifyFile(values.file, values.checkpoint, values.key ?? [], json);
      return withDatabase(
        async ({ audit, tenantId }) => printReport(await audit.verify(tenantId), json),
        values.tenant,
        values.key ?? [],
      );
    case 'export':
      return withDatabase(
        async ({ audit, tenantId }) => {
          const out = values.out ? createWriteStream(values.out) : process.stdout;
          const write = (line: string) =>
            out.write(`${line}\n`) ? undefined : new Promise<void>((ok) => out.once('drain', () => ok()));
          const { entries } = await audit.export(tenantId, write);
          if (values.out) {
            await new Promise<void>((ok, fail) =>
              (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) =>
                err ? fail(err) : ok(),
              ),
            );
            console.error(`exported ${entries} entries of tenant ${tenantId} to ${values.out}`);
          }
          return 0;
        },
        values.tenant,
        values.key ?? null,
      );
    default:
      throw new AuditCliError(
        `unknown audit command ${JSON.stringify(sub ?? '')}; try: erp audit verify | erp audit export`,
      );
  }
}
