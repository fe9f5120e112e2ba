import type { DataSource } from 'typeorm';
import { SlateLogStore } from './slate-log.store';
import { logger } from '@serendip/telemetry';

/** Slates deleted per statement, so a purge never holds many locks at once. */
const BATCH = 5000;

/**
 * Deletes logged slates (their items go with them) older than the retention period, every
 * `everyMs`. Off-policy evaluation reads the log, so the period should cover the windows
 * evaluations look at; the default keeps half a year.
 */
export class SlateRetention {
  private timer: NodeJS.Timeout | null = null;
  private readonly log: SlateLogStore;

  constructor(
    dataSource: DataSource,
    private readonly retentionDays: number,
    private readonly everyMs = 3600_000,
  ) {
    this.log = new SlateLogStore(dataSource);
  }

  start(): this {
    this.timer = setInterval(() => void this.purge().catch((error: unknown) => logger().error({ err: error }, 'slate purge failed')), this.everyMs);
    this.timer.unref();
    return this;
  }

  /** Deletes what is past retention; returns how many slates went. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 24 * 3600_000);
    let deleted = 0;
    for (;;) {
      const purged = await this.log.purgeBefore(cutoff, BATCH);
      deleted += purged;
      if (purged < BATCH) return deleted;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
