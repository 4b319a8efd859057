// Spans across the kernel's asynchronous seams: the trace context written with an outbox row (so
// the event carries its producer's trace through the database and the bus), the relay's publish,
// a subscriber's delivery (a consumer span whose parent is the producer's span), and a plugin call
// (in-process or in the sandbox). With tracing off every function here is a cheap no-op: the API's
// tracer then makes non-recording spans and no context is active.
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@erp/kernel');

/** The W3C traceparent of the active span, to store with an outbox row; null outside a sampled trace. */
export function currentTraceparent(): string | null {
  const span = trace.getSpan(context.active());
  if (!span?.isRecording()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

async function inSpan<T>(span: Span, parent: ReturnType<typeof context.active>, work: () => Promise<T>) {
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.name ?? 'error' });
    throw err;
  } finally {
    span.end();
  }
}

/** A consumer span whose parent is the stored traceparent (or a new trace without one). */
function consumerSpan<T>(
  name: string,
  traceparent: string | null | undefined,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  const parent = traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
  const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
  return inSpan(span, parent, work);
}

/**
 * Runs a subscriber's delivery of one event under a consumer span whose parent is the span that
 * wrote the event (its stored traceparent), or a new trace for an event written outside one.
 */
export function deliverySpan<T>(
  event: { type: string; id: string; traceparent?: string | null; attempt?: number },
  subscriber: string,
  work: () => Promise<T>,
): Promise<T> {
  return consumerSpan(
    `process ${event.type}`,
    event.traceparent,
    {
      'messaging.operation.type': 'process',
      'messaging.destination.name': event.type,
      'messaging.message.id': event.id,
      'messaging.consumer.group.name': subscriber,
      ...(event.attempt ? { 'erp.delivery.attempt': event.attempt } : {}),
    },
    work,
  );
}

/** Runs one claimed job under a span whose parent is the span that enqueued it (cron: a new trace). */
export function jobSpan<T>(
  row: { id: string; attempts: number; trace_context: string | null },
  job: string,
  work: () => Promise<T>,
): Promise<T> {
  return consumerSpan(
    `job ${job}`,
    row.trace_context,
    { 'erp.job': job, 'erp.job.id': row.id, 'erp.job.attempt': row.attempts },
    work,
  );
}

/**
 * The relay's publish of one outbox row to the bus: a producer span in the row's trace, so a trace
 * shows the event waiting in the outbox (the gap between the write and this span) and then sent.
 */
export function publishSpan<T>(
  row: { subject: string; id: string; trace_context?: string | null },
  system: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!row.trace_context) return work();
  const parent = propagation.extract(context.active(), { traceparent: row.trace_context });
  const span = tracer().startSpan(
    `send ${row.subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': system,
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.subject,
        'messaging.message.id': row.id,
      },
    },
    parent,
  );
  return inSpan(span, parent, work);
}

/** A plugin's route, subscription, job or hook call, with where it ran (in-process or sandbox). */
export function pluginSpan<T>(
  call: { plugin: string; version: string; runtime: string; kind: string; entry: string },
  work: () => Promise<T>,
): Promise<T> {
  const parent = context.active();
  if (!trace.getSpan(parent)) return work();
  const span = tracer().startSpan(`plugin ${call.plugin} ${call.kind} ${call.entry}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      'erp.plugin': call.plugin,
      'erp.plugin.version': call.version,
      'erp.plugin.runtime': call.runtime,
      'erp.plugin.call': call.kind,
      'erp.plugin.entry': call.entry,
    },
  });
  return inSpan(span, parent, work);
}

/**
 * A plugin's outbound HTTP call (ctx.http.fetch) as a client span under its plugin call: method,
 * host, port and the answer's status. Not the path or the query: a webhook URL often carries its
 * secret there. `send` gets the headers that carry the trace to the receiver (W3C traceparent) when
 * the trace is sampled; a header the plugin set itself is left as it is.
 */
export async function outboundSpan<T extends { status: number }>(
  call: { plugin: string; method: string; url: URL },
  send: (traceHeaders: Record<string, string>) => Promise<T>,
): Promise<T> {
  const parent = context.active();
  if (!trace.getSpan(parent)) return send({});
  const port = call.url.port || (call.url.protocol === 'https:' ? '443' : '80');
  const span = tracer().startSpan(call.method, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': call.method,
      'server.address': call.url.hostname,
      'server.port': Number(port),
      'url.scheme': call.url.protocol.slice(0, -1),
      'erp.plugin': call.plugin,
    },
  });
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return inSpan(span, parent, async () => {
    try {
      const res = await send(carrier);
      span.setAttribute('http.response.status_code', res.status);
      if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: String(res.status) });
      return res;
    } catch (err) {
      // The refusal's code (ERP_HTTP_ADDRESS_REFUSED, ERP_HTTP_TIMEOUT…), not its message.
      const code = (err as { code?: unknown })?.code;
      span.setAttribute('error.type', typeof code === 'string' ? code : ((err as Error)?.name ?? 'error'));
      throw err;
    }
  });
}

/** Fields a log line gets inside a trace, so logs and traces join on the trace id. */
export function logTraceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * The function, bound to the trace active now. Callbacks that come back from isolated-vm do not
 * carry Node's async context, so the sandbox's host calls are bound where the call starts: the
 * SQL a sandboxed plugin sends is then a child of its plugin span.
 */
export function bindActive<F extends (...args: never[]) => unknown>(fn: F): F {
  return context.bind(context.active(), fn);
}
