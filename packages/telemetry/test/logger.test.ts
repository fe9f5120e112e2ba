import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { Writable } from 'node:stream';
import { createLogger, tracer, withRequestId, type LogLevel } from '../src';

/** A logger whose lines land in `lines`, parsed. */
function capture(level: LogLevel = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ service: 'catalogue', level, destination }), lines };
}

describe('createLogger', () => {
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('writes one JSON object a line with level, service, the request id and the active span', () => {
    const { log, lines } = capture();
    const ids = withRequestId('req-42', () =>
      tracer().startActiveSpan('work', (span) => {
        log.info({ productId: '7' }, 'product saved');
        span.end();
        return span.spanContext();
      }),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'catalogue',
        requestId: 'req-42',
        traceId: ids.traceId,
        spanId: ids.spanId,
        productId: '7',
        msg: 'product saved',
      }),
    ]);
    expect(lines[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('leaves the request and trace fields out outside a request, and drops lines under its level', () => {
    const { log, lines } = capture('warn');
    log.info('not written');
    log.warn('sweep late');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', service: 'catalogue', msg: 'sweep late' });
    expect(Object.keys(lines[0]!)).not.toEqual(expect.arrayContaining(['requestId']));
    expect(Object.keys(lines[0]!)).not.toEqual(expect.arrayContaining(['traceId']));
  });

  it('logs errors under err with their message and stack', () => {
    const { log, lines } = capture();
    log.error({ err: new Error('pool closed') }, 'request failed');
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'request failed',
      err: { type: 'Error', message: 'pool closed', stack: expect.stringContaining('pool closed') },
    });
  });
});
