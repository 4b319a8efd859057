// A span per SQL statement the kernel sends (its own, the workers', and plugins' statements run
// for them), as a child of whatever span is active: node-postgres's Client.query is wrapped once
// per process when tracing starts. The statement text is recorded only after PostgreSQL's own
// normaliser (libpg-query, pg_stat_statements' algorithm) replaced every constant with $n, so
// neither bound parameters (never recorded) nor values inlined into the text (the tenant id in
// BEGIN's set_config, a password in ALTER ROLE) reach the trace backend.
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { loadModule, normalizeSync } from 'libpg-query';
import pg from 'pg';

const tracer = () => trace.getTracer('@erp/kernel/sql');
// Normalised texts by raw text: kernel statements repeat, and normalising costs a parse.
const normalised = new Map<string, string>();
const MAX_CACHED = 2_000;

function safeText(text: string): string {
  let out = normalised.get(text);
  if (out !== undefined) return out;
  try {
    out = normalizeSync(text);
  } catch {
    // Not parseable by the parser (never sent by the kernel): record the verb alone.
    out = operationOf(text);
  }
  if (normalised.size < MAX_CACHED) normalised.set(text, out);
  return out;
}

function operationOf(text: string): string {
  return /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
}

function textOf(args: unknown[]): string | undefined {
  const q = args[0];
  if (typeof q === 'string') return q;
  if (q && typeof q === 'object' && typeof (q as { text?: unknown }).text === 'string')
    return (q as { text: string }).text;
  return undefined;
}

let installed = false;

/** Wraps pg's Client.prototype.query (once per process). */
export async function instrumentSql(): Promise<void> {
  if (installed) return;
  installed = true;
  await loadModule();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function tracedQuery(this: unknown, ...args: unknown[]) {
    const text = textOf(args);
    // Only inside a trace: pool housekeeping and idle workers' polls would otherwise be root spans.
    if (text === undefined || !trace.getSpan(context.active())) return original.apply(this, args);
    const statement = safeText(text);
    const span = tracer().startSpan(`${operationOf(statement)} postgresql`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': statement },
    });
    const end = (err?: unknown) => {
      if (err) fail(span, err);
      span.end();
    };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (err: unknown, res: unknown) => void;
      args[last] = (err: unknown, res: unknown) => {
        end(err);
        cb(err, res);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => end(),
        (err) => end(err),
      );
    } else end();
    return result;
  };
}

function fail(span: Span, err: unknown): void {
  const code = (err as { code?: unknown })?.code;
  // The SQLSTATE, not the message: messages can quote the values that failed a constraint.
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'error' });
  if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
}
