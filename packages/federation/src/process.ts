import { ConfigError } from '@serendip/config';
import { configureLogger, logger, startTracing, type LogLevel } from '@serendip/telemetry';

interface Stoppable {
  url?: string;
  stop(): Promise<void>;
}

/** What every process's config holds for its logs and traces (`commonEnv`). */
export interface TelemetrySettings {
  LOG_LEVEL: LogLevel;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_BSP_SCHEDULE_DELAY: number;
}

/**
 * The body of every process entry point: read the config, make the process's logger (JSON lines
 * named `service`, at `LOG_LEVEL`) and its tracing (on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set),
 * start, report where it listens, and on SIGTERM/SIGINT stop accepting work, close connections and
 * send the spans still buffered before exiting. A bad config exits with code 78 (EX_CONFIG) and
 * names every problem.
 */
export function runProcess<C extends TelemetrySettings>(service: string, load: () => C, start: (config: C) => Promise<Stoppable>): void {
  // Inside a promise, so that a refused config ends in the one catch below.
  Promise.resolve()
    .then(async () => {
      const config = load();
      const log = configureLogger({ service, level: config.LOG_LEVEL });
      const tracing = startTracing({ service, endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, scheduleDelayMs: config.OTEL_BSP_SCHEDULE_DELAY });
      const running = await start(config).catch(async (error: unknown) => {
        await tracing.shutdown();
        throw error;
      });
      log.info({ url: running.url, tracing: tracing.enabled }, `${service} ready${running.url ? ` at ${running.url}` : ''}`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info(`${signal}: shutting down`);
        running
          .stop()
          .then(() => tracing.shutdown())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              log.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) {
        // For the operator at a terminal as much as for a collector: the problems, one a line.
        console.error(error.message);
        process.exit(78);
      }
      logger().error({ err: error }, `${service} failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
