import { EventLoopLag } from '../src';

/** Holds the event loop for `ms`, as a long synchronous task in a request would. */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: no timer can fire meanwhile
  }
}

const settle = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Blocks the loop for 200 ms twice, then waits until `lag` has recorded it. Two blocks, so that the
 * evidence does not hang on one sample: on a busy machine (the whole suite on two cores) a single
 * block was once not in the histogram when it was read. The sampling timer fires, late, once the
 * loop is free again; this reads once it has (well under 100 samples in all, so the p99 is the
 * largest).
 */
async function blockTwice(lag: EventLoopLag): Promise<void> {
  await settle(50);
  block(200);
  await settle(30);
  block(200);
  const deadline = Date.now() + 600;
  while (lag.current().p99Ms < 150 && Date.now() < deadline) await settle(20);
}

describe('EventLoopLag', () => {
  afterEach(() => jest.useRealTimers());

  it('publishes p99 and mean lag measured so far before its first window ends, a blocked loop in it', async () => {
    const lag = new EventLoopLag(60_000);
    try {
      await blockTwice(lag);
      const { p99Ms, meanMs } = lag.current();
      // Each block delayed the sampling timer by about 200 ms: nearly all of it shows in the p99.
      expect(p99Ms).toBeGreaterThanOrEqual(150);
      expect(meanMs).toBeGreaterThan(0);
      expect(meanMs).toBeLessThanOrEqual(p99Ms);
    } finally {
      lag.stop();
    }
  });

  it('keeps publishing a complete window until the next one ends', async () => {
    // Only the window's own timer is driven by hand; the sampling is native and real.
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'nextTick', 'setImmediate', 'Date', 'performance', 'hrtime'] });
    const lag = new EventLoopLag(10_000);
    try {
      // The window ends only once the blocks are in the histogram.
      await blockTwice(lag);
      jest.advanceTimersByTime(10_000);
      await settle(50);
      // The histogram was reset, yet the window that held the block is what is published.
      expect(lag.current().p99Ms).toBeGreaterThanOrEqual(150);
      jest.advanceTimersByTime(10_000);
      // A window with no block in it replaces it.
      expect(lag.current().p99Ms).toBeLessThan(150);
    } finally {
      lag.stop();
    }
  });

  it('publishes 0, not NaN, before anything was sampled', () => {
    const lag = new EventLoopLag();
    try {
      expect(lag.current()).toEqual({ p99Ms: 0, meanMs: 0 });
    } finally {
      lag.stop();
    }
  });
});
