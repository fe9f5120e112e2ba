import { ErrorCode } from '@serendip/federation';
import { Topic } from '@serendip/jobs';
import { PubSubProbe, testEnv } from '@serendip/testing';
import { Redis } from 'ioredis';
import { loadRecommendationConfig } from '../src/config';
import { LIVE_SLATE_SIZE, LiveSlates, type SlateEvent } from '../src/live/live-slates';
import { RedisChannels } from '../src/live/redis-channels';
import type { SlateRequest, SlateSource } from '../src/slate/slate-source';
import type { RecommendationSlate } from '../src/slate/slate.type';
import { RecommendationSlot } from '../src/slate/slot';
import { logger } from '@serendip/telemetry';

/**
 * Stands in for the ranking, which is not what these tests are about: it counts computations,
 * records what each was asked and how many notices had been published when it began, and can
 * hold computations (a closed gate) or fail the next ones.
 */
class RecordingSlates implements SlateSource {
  readonly computations: { request: SlateRequest; published: number }[] = [];
  failures = 0;
  private gate: Promise<void> = Promise.resolve();
  private release = () => {};

  constructor(private readonly published: () => number) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
    this.gate = Promise.resolve();
  }

  async slate(request: SlateRequest): Promise<RecommendationSlate> {
    const index = this.computations.push({ request, published: this.published() }) - 1;
    await this.gate;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('ranking store unreachable');
    }
    return {
      recommendationId: String(index),
      slot: request.slot,
      policy: 'recording@1',
      generatedAt: new Date(),
      experiment: null,
      sequenceModelVersion: null,
      personalised: true,
      items: [],
    };
  }
}

const config = loadRecommendationConfig(testEnv());
/** Slates computed at once by `live`. */
const CONCURRENCY = 2;
const channel = (userId: string) => Topic.recommendationsUpdated(userId, config.PUBSUB_PREFIX);
let probe: PubSubProbe;
let channels: RedisChannels;
let published: number;
let slates: RecordingSlates;
let live: LiveSlates;

async function notify(userId: string): Promise<void> {
  published += 1;
  await probe.publish(channel(userId));
}

function slateOf(result: IteratorResult<SlateEvent>): RecommendationSlate {
  if (result.done || 'error' in result.value) throw new Error(`expected a slate, got ${JSON.stringify(result)}`);
  return result.value.slate;
}

/** The computation a pushed slate came from. */
const computationOf = (result: IteratorResult<SlateEvent>) => slates.computations[Number(slateOf(result).recommendationId)]!;

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  probe = new PubSubProbe(config.REDIS_URL);
  // Connected first, as the subgraph does: a SUBSCRIBE sent during the ready check can be lost.
  const subscriber = new Redis(config.REDIS_URL, { lazyConnect: true });
  await subscriber.connect();
  channels = new RedisChannels(subscriber);
  published = 0;
  slates = new RecordingSlates(() => published);
  live = new LiveSlates(channels, slates, config.PUBSUB_PREFIX, CONCURRENCY);
});

afterEach(async () => {
  await channels.close();
  await probe.close();
});

describe('live slates on Redis pub/sub', () => {
  it('computes at most its concurrency of slates at once, and the others in turn as those finish', async () => {
    slates.hold();
    const streams = ['c1', 'c2', 'c3', 'c4', 'c5'].map((userId) => live.updates(userId, RecommendationSlot.HOME));
    const firsts = streams.map((stream) => stream.next());
    await until(() => slates.computations.length === CONCURRENCY, 'the first computations');
    // Every stream has asked for its slate by now; the rest wait for a turn rather than start.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slates.computations).toHaveLength(CONCURRENCY);

    slates.open();
    const users = (await Promise.all(firsts)).map((result) => computationOf(result).request.userId);
    expect(users).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(slates.computations).toHaveLength(5);
    await Promise.all(streams.map((stream) => stream.return(undefined)));
  });

  it('pushes the current slate at once, already listening on the shopper’s channel', async () => {
    const updates = live.updates('u1', RecommendationSlot.CART);
    const first = slateOf(await updates.next());
    expect(first.slot).toBe(RecommendationSlot.CART);
    expect(slates.computations.map((c) => c.request)).toEqual([{ userId: 'u1', slot: RecommendationSlot.CART, first: LIVE_SLATE_SIZE }]);
    expect(await probe.subscribers(channel('u1'))).toBe(1);

    await updates.return(undefined);
    await probe.untilSubscribers(channel('u1'), 0);
    expect(channels.listening).toEqual([]);
  });

  it('shares one channel subscription per shopper and unsubscribes when the last listener leaves', async () => {
    const [a, b, c] = [
      live.updates('u2', RecommendationSlot.HOME),
      live.updates('u2', RecommendationSlot.PRODUCT),
      live.updates('u3', RecommendationSlot.HOME),
    ];
    await Promise.all([a.next(), b.next(), c.next()]);
    expect(await probe.subscribers(channel('u2'))).toBe(1);
    expect(channels.listening.sort()).toEqual([channel('u2'), channel('u3')].sort());

    await a.return(undefined);
    // Still subscribed for b: a notice reaches it.
    const [received] = await Promise.all([b.next(), notify('u2')]);
    expect(computationOf(received).request).toMatchObject({ userId: 'u2', slot: RecommendationSlot.PRODUCT });
    expect(await probe.subscribers(channel('u2'))).toBe(1);

    await b.return(undefined);
    await probe.untilSubscribers(channel('u2'), 0);
    expect(channels.listening).toEqual([channel('u3')]);
    expect(await probe.subscribers(channel('u3'))).toBe(1);

    await c.return(undefined);
    await probe.untilSubscribers(channel('u3'), 0);
    expect(channels.listening).toEqual([]);
  });

  it('folds notices that arrive during a computation into one more computation', async () => {
    const updates = live.updates('u4', RecommendationSlot.HOME);
    await updates.next();

    slates.hold();
    const second = updates.next();
    await notify('u4');
    await until(() => slates.computations.length === 2, 'the second computation');
    // The test hears every notice on the same connection, right after the live slates do.
    let heard = 0;
    const stopHearing = await channels.listen(channel('u4'), () => (heard += 1));
    for (let burst = 0; burst < 4; burst += 1) await notify('u4');
    await until(() => heard === 4, 'the burst of notices');
    slates.open();

    expect(computationOf(await second).published).toBe(1);
    expect(computationOf(await updates.next()).published).toBe(5);

    // Had the burst queued one computation per notice, asking for more would start the next one
    // (within this turn of the event loop) before this notice is sent.
    slates.hold();
    const fourth = updates.next();
    await new Promise(setImmediate);
    await notify('u4');
    await until(() => slates.computations.length === 4, 'the fourth computation');
    slates.open();
    expect(computationOf(await fourth).published).toBe(6);
    expect(slates.computations).toHaveLength(4);

    stopHearing();
    await updates.return(undefined);
    await probe.untilSubscribers(channel('u4'), 0);
  });

  it('reports a failed computation as a coded event and recovers with the next notice', async () => {
    const logged = jest.spyOn(logger(), 'error').mockImplementation(() => {});
    try {
      slates.failures = 1;
      const updates = live.updates('u5', RecommendationSlot.HOME);
      const failed = await updates.next();
      expect(failed.done).toBe(false);
      expect(failed.value).toMatchObject({ error: { code: ErrorCode.Unavailable } });
      expect(logged).toHaveBeenCalledWith({ err: expect.any(Error) }, 'slate computation failed');

      const [recovered] = await Promise.all([updates.next(), notify('u5')]);
      expect(slateOf(recovered).slot).toBe(RecommendationSlot.HOME);
      await updates.return(undefined);
      await probe.untilSubscribers(channel('u5'), 0);
    } finally {
      logged.mockRestore();
    }
  });
});
