import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { extractTraceContext, injectTraceContext, isTraceCarrier, requestIdFrom, tracer } from '../src';

describe('trace context carriers', () => {
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('carries nothing while tracing is off', () => {
    tracer().startActiveSpan('off', (span) => {
      expect(injectTraceContext()).toBeUndefined();
      span.end();
    });
  });

  it('round-trips the active span through a carrier: the extracted context is that span', async () => {
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
    provider.register();
    const { carrier, ids } = tracer().startActiveSpan('producer', (span) => {
      span.end();
      return { carrier: injectTraceContext(), ids: span.spanContext() };
    });
    expect(carrier).toEqual({ traceparent: `00-${ids.traceId}-${ids.spanId}-01` });
    expect(isTraceCarrier(JSON.parse(JSON.stringify(carrier)))).toBe(true);
    expect(trace.getSpanContext(extractTraceContext(carrier))).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId, isRemote: true });
    await provider.shutdown();
  });

  it('ignores a malformed carrier rather than trust it', () => {
    for (const bad of [undefined, 'x', { traceparent: 'not-a-traceparent' }, { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: 3 }])
      expect(trace.getSpanContext(extractTraceContext(bad))).toBeUndefined();
  });

  it("keeps a caller's request id only when it is safe to log", () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom('bad id\n{"forged":true}')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
