import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Instrumentation scope of every span Serendip's own code starts. */
const SCOPE = 'serendip';

/** The tracer Serendip's plugins and job helpers start spans with: a no-op until `startTracing` registers a provider. */
export const tracer = (): Tracer => trace.getTracer(SCOPE);

export interface TracingOptions {
  /** `service.name` of every span this process exports: `gateway`, a subgraph's name, `worker`. */
  service: string;
  /**
   * Base URL of an OTLP/HTTP receiver (a collector, Jaeger, Tempo); spans go to `<endpoint>/v1/traces`
   * as OTLP JSON. Unset, nothing is registered and every span is OpenTelemetry's no-op one.
   */
  endpoint: string | undefined;
  /** How long finished spans wait to be exported together (`OTEL_BSP_SCHEDULE_DELAY`). @default 5000 */
  scheduleDelayMs?: number;
}

export interface Tracing {
  /** Whether spans are exported (an endpoint was configured). */
  readonly enabled: boolean;
  /** Exports the spans still buffered, then stops; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

/**
 * Registers this process's tracer provider: spans batched and exported over OTLP/HTTP, the
 * AsyncLocalStorage context manager (the active span follows a request through its awaits) and
 * the W3C trace-context propagator (`traceparent` in subgraph requests and job data). Called once,
 * by a process's entry point before it starts serving. Off by default: without an endpoint no
 * provider, context manager or propagator is registered, so the API's calls cost next to nothing.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.endpoint) return { enabled: false, shutdown: () => Promise.resolve() };
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service, 'service.namespace': SCOPE }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduleDelayMs ?? 5000 })],
  });
  provider.register();
  return { enabled: true, shutdown: () => provider.shutdown() };
}
