import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './request-scope';

export type { Logger } from 'pino';

/** The levels `LOG_LEVEL` takes (packages/config `commonEnv`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** `service` on every line: `gateway`, a subgraph's name, `worker`. */
  service: string;
  /** Lines below it are dropped. @default info */
  level?: LogLevel;
  /** Where lines go. @default stdout */
  destination?: DestinationStream;
}

/**
 * A JSON-lines logger: one object per line with `level` (a name), `time` (epoch ms), `service`,
 * `msg`, and, when written while a request or job runs, its `requestId` and the active span's
 * `traceId` and `spanId` (tracing on), so a log line leads to its trace and the other way round.
 * Errors go under `err` with their type, message and stack: the log is the operators', never a
 * client's.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      // Level names rather than pino's numbers: a line is read by people and grep as often as by a collector.
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const requestId = currentRequestId();
        const span = trace.getActiveSpan()?.spanContext();
        return {
          ...(requestId ? { requestId } : {}),
          ...(span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
        };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let processLogger: Logger | undefined;

/**
 * Makes the process's logger, the one `logger()` returns everywhere in it: a process entry point
 * calls it first, with its service name and `LOG_LEVEL`.
 */
export function configureLogger(options: LoggerOptions): Logger {
  processLogger = createLogger(options);
  return processLogger;
}

/**
 * The process's logger. Libraries log through it rather than take one in every constructor: a
 * process has one stdout and one service name. Before `configureLogger` (a test, a script) it is
 * one named `serendip` at `info`.
 */
export function logger(): Logger {
  return (processLogger ??= createLogger({ service: 'serendip' }));
}
