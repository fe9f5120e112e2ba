import { ConfigError } from '@serendip/config';

interface Stoppable {
  url?: string;
  stop(): Promise<void>;
}

/**
 * The body of every process entry point: start, report where it listens, and on SIGTERM/SIGINT
 * stop accepting work and close connections before exiting. A bad config exits with code 78
 * (EX_CONFIG) and names every problem.
 */
export function runProcess(name: string, start: () => Promise<Stoppable>): void {
  // Entry points read their config in the call that builds the promise (`start(loadXConfig())`),
  // so a refused config throws before there is a promise to reject; run it inside one.
  Promise.resolve()
    .then(start)
    .then((running) => {
      console.info(`[${name}] ready${running.url ? ` at ${running.url}` : ''}`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.info(`[${name}] ${signal}: shutting down`);
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`[${name}] shutdown failed`, error);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(error.message);
        process.exit(78);
      }
      console.error(`[${name}] failed to start:`, error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
