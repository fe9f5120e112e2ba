import { SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext, tracer, type TraceCarrier } from '@serendip/telemetry';
import { type JobName, type QueueName } from './names';

/**
 * What a job's data carries besides its payload: the trace context of the span that queued it, so
 * the worker's span of the job joins the trace of the request (or sweep) that asked for it. Kept
 * beside the payload rather than in it, since payloads are checked field by field
 * (`validatePayload`) and results never depend on it.
 */
export interface Traced {
  trace?: TraceCarrier;
}

const spanError = (span: Span, error: unknown) => {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
};

/**
 * Runs `send` in a producer span `enqueue <job>` and hands it the span's carrier to put in each
 * job's data (undefined with tracing off, when nothing is added to the data).
 */
export function tracedEnqueue<R>(job: JobName, queue: QueueName, jobs: number, send: (trace: TraceCarrier | undefined) => Promise<R>): Promise<R> {
  return tracer().startActiveSpan(
    `enqueue ${job}`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.batch.message_count': jobs } },
    async (span) => {
      try {
        return await send(injectTraceContext());
      } catch (error) {
        spanError(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** `payload` with the carrier added when there is one. */
export const withTrace = <P extends object>(payload: P, trace: TraceCarrier | undefined): P & Traced => (trace ? { ...payload, trace } : payload);

/** A job's data split into its payload (what `validatePayload` checks) and the context it was queued in. */
export function splitTraceContext(data: unknown): { payload: unknown; context: Context } {
  if (typeof data !== 'object' || data === null || !('trace' in data)) return { payload: data, context: extractTraceContext(undefined) };
  const { trace, ...payload } = data as Record<string, unknown>;
  return { payload, context: extractTraceContext(trace) };
}

/** What a worker knows of a job when it starts one: enough to name and place its span. */
export interface ConsumedJob {
  id?: string | undefined;
  name: string;
  queueName: string;
  attemptsMade: number;
  data: unknown;
}

/**
 * Runs `work` on a job's payload in a consumer span `process <job>`, the child of the producer span
 * whose context the job carries (a root span when it carries none).
 */
export function tracedJob<R>(job: ConsumedJob, work: (payload: unknown) => Promise<R>): Promise<R> {
  const { payload, context } = splitTraceContext(job.data);
  return tracer().startActiveSpan(
    `process ${job.name}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': job.queueName,
        'messaging.message.id': job.id ?? '',
        'messaging.bullmq.attempt': job.attemptsMade + 1,
      },
    },
    context,
    async (span) => {
      try {
        return await work(payload);
      } catch (error) {
        spanError(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
