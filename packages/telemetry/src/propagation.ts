import { context as otelContext, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/**
 * The W3C trace context of the span that produced something handed on outside HTTP (a queued job),
 * as its `traceparent` and `tracestate` headers would carry it.
 */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Whether `value` is a carrier `injectTraceContext` could have made; anything else is ignored, never trusted. */
export function isTraceCarrier(value: unknown): value is TraceCarrier {
  if (typeof value !== 'object' || value === null) return false;
  const { traceparent, tracestate } = value as Record<string, unknown>;
  return typeof traceparent === 'string' && TRACEPARENT.test(traceparent) && (tracestate === undefined || typeof tracestate === 'string');
}

/**
 * The carrier of `context` (the active one by default), or undefined when it holds no sampled span
 * or tracing is off (no propagator registered): a job queued outside any trace carries nothing.
 */
export function injectTraceContext(context: Context = otelContext.active()): TraceCarrier | undefined {
  const headers: Record<string, string> = {};
  propagation.inject(context, headers);
  if (!headers.traceparent) return undefined;
  return { traceparent: headers.traceparent, ...(headers.tracestate ? { tracestate: headers.tracestate } : {}) };
}

/** The context a carrier names, to start a span under; the root context when there is none (or it is malformed). */
export function extractTraceContext(carrier: unknown): Context {
  return isTraceCarrier(carrier) ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}
