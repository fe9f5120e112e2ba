import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { tracer } from '@serendip/telemetry';
import { randomBytes } from 'node:crypto';
import { enqueueAnalyseReview, JobName, openQueue, QueueName, tracedJob, validatePayload } from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A job's trace context through the real Redis: queued inside a request's span, picked up by a worker. */
describe('trace context in job data (Redis)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const queue = openQueue(QueueName.ReviewAnalysis, { redisUrl: REDIS_URL, prefix: `t_${randomBytes(5).toString('hex')}` });

  beforeAll(() => provider.register());
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it("makes the worker's span the child of the enqueue span, which is the child of the request's", async () => {
    const request = tracer().startSpan('request');
    const [queued] = await context.with(trace.setSpan(context.active(), request), () =>
      enqueueAnalyseReview(queue, [{ reviewId: '12', text: 'Sturdy and light.' }]),
    );
    request.end();
    // What a worker reads back from Redis, not the object the producer held.
    const job = (await queue.getJob(queued!.id!))!;
    expect(job.data.trace?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const payload = await tracedJob(job, (data) => Promise.resolve(data));
    // The payload the handler sees is the producer's, which the strict validator accepts.
    expect(payload).toEqual({ reviewId: '12', text: 'Sturdy and light.' });
    expect(validatePayload(JobName.AnalyseReview, payload).ok).toBe(true);

    const spans = exporter.getFinishedSpans();
    const enqueue = spans.find((span) => span.name === `enqueue ${JobName.AnalyseReview}`)!;
    const processed = spans.find((span) => span.name === `process ${JobName.AnalyseReview}`)!;
    expect(enqueue).toMatchObject({ kind: SpanKind.PRODUCER, parentSpanContext: expect.objectContaining({ spanId: request.spanContext().spanId }) });
    expect(processed).toMatchObject({ kind: SpanKind.CONSUMER, parentSpanContext: expect.objectContaining({ spanId: enqueue.spanContext().spanId }) });
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([request.spanContext().traceId]));
  });

  it('records a failed job on its span and still throws', async () => {
    const job = { id: '1', name: JobName.AnalyseReview, queueName: QueueName.ReviewAnalysis, attemptsMade: 0, data: { reviewId: '1', text: 'x' } };
    await expect(tracedJob(job, () => Promise.reject(new Error('model lost')))).rejects.toThrow('model lost');
    const failed = exporter.getFinishedSpans().find((span) => span.name === `process ${JobName.AnalyseReview}` && span.status.code === SpanStatusCode.ERROR);
    expect(failed?.status.message).toBe('model lost');
    // Queued outside any trace: a root span of its own.
    expect(failed?.parentSpanContext).toBeUndefined();
  });
});
