import { MicroBatcher } from '../src/micro-batcher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A batch function that records the batches it saw and answers each payload with its double. */
function recorder(options: { delayMs?: number; failOn?: number } = {}) {
  const batches: number[][] = [];
  const run = async (payloads: number[]) => {
    batches.push(payloads);
    if (options.delayMs) await sleep(options.delayMs);
    if (options.failOn !== undefined && payloads.includes(options.failOn)) throw new Error(`cannot take ${options.failOn}`);
    return payloads.map((payload) => payload * 2);
  };
  return { batches, run };
}

describe('MicroBatcher', () => {
  it('runs a full batch at once without waiting out the window', async () => {
    const { batches, run } = recorder();
    const batcher = new MicroBatcher(run, { maxSize: 4, maxWaitMs: 60_000 });
    await expect(Promise.all([1, 2, 3, 4].map((value) => batcher.submit(value)))).resolves.toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('holds the first payload up to maxWaitMs so later ones can join it', async () => {
    const { batches, run } = recorder();
    const batcher = new MicroBatcher(run, { maxSize: 10, maxWaitMs: 80 });
    const first = batcher.submit(1);
    await sleep(20);
    const second = batcher.submit(2);
    await expect(Promise.all([first, second])).resolves.toEqual([2, 4]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('runs one batch at a time; what arrives meanwhile leaves together as the next batch', async () => {
    const { batches, run } = recorder({ delayMs: 80 });
    const batcher = new MicroBatcher(run, { maxSize: 3, maxWaitMs: 0 });
    const results = [batcher.submit(1)];
    await sleep(10);
    for (const value of [2, 3, 4, 5]) results.push(batcher.submit(value));
    await expect(Promise.all(results)).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('retries a failed batch payload by payload, so only the payload at fault fails', async () => {
    const { batches, run } = recorder({ failOn: 2 });
    const batcher = new MicroBatcher(run, { maxSize: 3, maxWaitMs: 0 });
    const outcomes = await Promise.allSettled([1, 2, 3].map((value) => batcher.submit(value)));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('cannot take 2') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('refuses an answer that does not have one result per payload', async () => {
    const batcher = new MicroBatcher(async (payloads: number[]) => payloads.slice(1), { maxSize: 1, maxWaitMs: 0 });
    await expect(batcher.submit(1)).rejects.toThrow('batch of 1 answered with 0 results');
  });
});
