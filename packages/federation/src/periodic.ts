import { logger } from '@serendip/telemetry';

/**
 * Background upkeep that runs at start and then every `everyMs`, never twice at once (a tick that
 * finds the last run still going skips), never keeping the process alive, and logging rather than
 * throwing: a failed run is retried on the next tick. `stop` waits for a run in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    /** Named in the log line of a failed run: "topic upkeep failed". */
    private readonly failure: string,
    private readonly everyMs: number,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(): this {
    const tick = () => {
      this.running ??= this.run()
        .catch((error: unknown) => logger().error({ err: error }, this.failure))
        .finally(() => {
          this.running = null;
        });
    };
    tick();
    this.timer = setInterval(tick, this.everyMs);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
