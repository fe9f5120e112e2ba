import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Length of the window whose event-loop lag `/metrics` publishes. */
export const EVENT_LOOP_LAG_WINDOW_MS = 10_000;

/** How often the histogram samples; each sample is this interval plus the lag, so the lag is what is over it. */
const SAMPLE_EVERY_MS = 10;

/**
 * Event-loop lag of this process (how late timers fire: what every request waits on top of its own
 * work) over the last complete window, from `monitorEventLoopDelay`. A fixed window rather than "since
 * the last scrape", so that a second reader of `/metrics` does not change what the first one sees.
 * Before the first window ends it publishes what it has measured so far.
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private last: { p99Ms: number; meanMs: number } | null = null;

  constructor(readonly windowMs = EVENT_LOOP_LAG_WINDOW_MS) {
    // A sample every 10 ms (the histogram's default): cheap enough to leave on in production.
    this.histogram = monitorEventLoopDelay({ resolution: SAMPLE_EVERY_MS });
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.last = this.read();
      this.histogram.reset();
    }, windowMs);
    this.timer.unref();
  }

  /** p99 and mean of the last window, in milliseconds (0 while nothing has been sampled). */
  current(): { p99Ms: number; meanMs: number } {
    return this.last ?? this.read();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private read(): { p99Ms: number; meanMs: number } {
    if (this.histogram.count === 0) return { p99Ms: 0, meanMs: 0 };
    const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - SAMPLE_EVERY_MS);
    return { p99Ms: ms(this.histogram.percentile(99)), meanMs: ms(this.histogram.mean) };
  }
}

let shared: EventLoopLag | null = null;

/** The process's one monitor, started on first use: a process has one event loop. */
export function processEventLoopLag(): EventLoopLag {
  return (shared ??= new EventLoopLag());
}
