// The process's OpenTelemetry tracer provider, configured by the standard OTEL_* variables. Off
// unless asked: tracing starts only when an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER=otlp, and never with
// OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. One provider per process (the OpenTelemetry
// API is process-global): every kernel started in the process shares it. The exporter, the batch
// processor and the sampler read their own variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*,
// OTEL_TRACES_SAMPLER …), as the specification lists them.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

type Env = Record<string, string | undefined>;

/** Whether the environment asks for traces (see the module comment). */
export function tracingWanted(env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase());
  if (exporters.includes('none')) return false;
  return (
    exporters.includes('otlp') ||
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  );
}

let provider: NodeTracerProvider | undefined;

/** Starts the process's provider once; later calls return the same one. */
export function startProvider(version: string): NodeTracerProvider {
  if (provider) return provider;
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'erp-kernel', [ATTR_SERVICE_VERSION]: version }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the defaults above.
    .merge(detectResources({ detectors: [envDetector] }));
  provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Installs the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  return provider;
}

/** Sends the spans still buffered (at kernel stop, so the last requests' spans are not lost). */
export async function flushProvider(): Promise<void> {
  await provider?.forceFlush().catch(() => {});
}
