/**
 * pnpm bench:freshness — how fresh live recommendations are: from a shopper's `trackEvents`
 * mutation (through the gateway) to the updated slate arriving on that shopper's
 * `recommendationsUpdated` subscription (graphql-ws through the gateway, product fields filled by
 * the catalogue), with BENCH_SUBSCRIBERS subscribed shoppers and other shoppers sending events
 * in the background at a steady rate.
 *
 * Each measured event is a VIEW of a product in the shopper's newest slate. Viewed products are
 * never candidates, so the update is the first push after the send that no longer holds that
 * product; a push that still holds it is counted as stale and not taken. Nothing else makes that
 * shopper's channel fire (background events come from other shoppers, and a shopper has at most
 * one measured event in flight), so the push can only come from the measured event.
 *
 * Beside it, in the same run and under the same background load: the trackEvents round trip
 * alone, the time to the worker's completion of the shopper's interest update (it publishes the
 * notice just before completing), from there to the push, and a direct PUBLISH on the shopper's
 * channel to the push (the subgraph's slate and the gateway alone, without queue and worker).
 * Each process's CPU share while measuring is printed too: on a shared machine, `other` says how
 * much of it someone else was using.
 *
 * The catalogue is the first BENCH_PRODUCTS Amazon Beauty titles from SERENDIP_DATA_DIR, written
 * with the catalogue's store and embedded by the worker through the catalogue's start-up backfill.
 * Runs a throwaway stack in production mode on its own ports, databases, queue and pub/sub
 * prefixes, and removes them at the end. Progress on stderr; a table, then as its last line one
 * JSON object on stdout.
 */
import { postGraphQL, PubSubProbe } from '@serendip/testing';
import type { FormattedExecutionResult } from 'graphql';
import { randomInt } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
// graphql-ws and ws are dependencies of the gateway, not of this package: borrow its test client.
import { gatewayWsClient } from '../../gateway/test/support/ws-client';
import { planBeauty } from '../../tools/demo-data/src/plan';
import { PROFILE_LIMITS } from '../../tools/demo-data/src/profile';
import { readBeauty } from '../../tools/demo-data/src/sources/amazon-beauty.source';
import { openQueueEvents, QueueName, Topic } from '../../packages/jobs/src';
import { openCatalogueDataSource } from '../../subgraphs/catalogue/src/data-source';
import { CatalogueImportStore } from '../../subgraphs/catalogue/src/import/catalogue-import.store';
import { setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, type RunningStack } from '../../scripts/stack';
import { atRate, benchStack, cleanUpOnSignal, cpuMeter, inParallel, percentile, serverPids, sleep } from './harness';

const DATA_DIR = process.env.SERENDIP_DATA_DIR ?? resolve(__dirname, '../../../shared/data');
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 400);
const EVENTS_PER_S = Number(process.env.BENCH_EVENTS_PER_S ?? 5);
const WARMUP_EVENTS = Number(process.env.BENCH_WARMUP_EVENTS ?? 20);
const BACKGROUND_PER_S = Number(process.env.BENCH_BACKGROUND_EVENTS_PER_S ?? 20);
const BACKGROUND_SHOPPERS = Number(process.env.BENCH_BACKGROUND_SHOPPERS ?? 50);
const PUBLISH_PROBES = Number(process.env.BENCH_PUBLISH_PROBES ?? 100);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 10_000);
const CORES = availableParallelism();
/** The recommendation subgraph's default; the bench keeps it to run the stack as deployed. */
const PRODUCT_INDEX_REFRESH_MS = 5000;

const LIVE_SLATE = 'subscription { recommendationsUpdated(slot: HOME) { recommendationId items { product { id title price } } } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';

type SlateData = { recommendationsUpdated: { recommendationId: string; items: { product: { id: string; title: string; price: number } }[] } };
type WsClient = ReturnType<typeof gatewayWsClient>;

interface Push {
  at: number;
  productIds: string[];
  error: string | null;
}

interface Shopper {
  userId: string;
  token: string;
  client: WsClient;
  /** Product ids of the newest slate pushed. */
  slate: string[];
  /** Told about every push while a measurement waits on this shopper. */
  onPush: ((push: Push) => void) | null;
  /** A measurement or probe is in flight. */
  busy: boolean;
  /** A measurement timed out: its push may still come, so the shopper is measured no more. */
  lost: boolean;
  /** Ends the subscription. */
  close: () => Promise<void>;
}

interface Row {
  name: string;
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  timeouts: number;
}

function row(name: string, latencies: number[], timeouts: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name,
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    timeouts,
  };
}

function printTable(rows: Row[]): void {
  const header = ['measure', 'subscribers', 'bg ev/s', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'lost/timeouts'];
  const lines = rows.map((r) => [
    r.name,
    String(SUBSCRIBERS),
    String(BACKGROUND_PER_S),
    String(r.samples),
    r.p50.toFixed(1),
    r.p90.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    String(r.timeouts),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const { ports, prefix: benchPrefix, env, settings, gatewayUrl: gateway, dropData } = benchStack(19000, LOOPBACK_CLIENT_LIMITS);

  let stack: RunningStack | null = null;
  let catalogue: Awaited<ReturnType<typeof openCatalogueDataSource>>['dataSource'] | null = null;
  /** In account order: subscribers first, then background shoppers. */
  const shoppers: Shopper[] = [];
  /** In the order they were opened, for closing. */
  const opened: Shopper[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  const log: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const shopper of opened) await shopper.close().catch(() => undefined);
      await Promise.all(opened.map(async (shopper) => shopper.client.dispose()));
      for (const close of closers) await close().catch(() => undefined);
      await catalogue?.destroy().catch(() => undefined);
      await stack?.stop();
      await dropData();
    })());
  const stopHandlingSignals = cleanUpOnSignal(cleanup);

  try {
    // Real titles, mapped to products exactly as the demo import does.
    const beauty = await readBeauty(DATA_DIR);
    const drafts = planBeauty(beauty, PROFILE_LIMITS.full).products.slice(0, PRODUCTS);
    console.error(`bench: writing ${drafts.length} Amazon Beauty products from ${DATA_DIR} (prefix ${benchPrefix})…`);
    await setUpDatabases(settings);
    catalogue = (await openCatalogueDataSource(settings)).dataSource;
    const store = new CatalogueImportStore(catalogue);
    const categoryIds = new Map<string, string>();
    for (const draft of drafts) {
      const key = JSON.stringify(draft.categoryPath);
      if (!categoryIds.has(key)) categoryIds.set(key, await store.upsertCategoryPath(draft.categoryPath));
    }
    const written = await store.upsertProducts(
      drafts.map(({ categoryPath, ...fields }) => ({ ...fields, categoryId: categoryIds.get(JSON.stringify(categoryPath))!, imageUrl: null })),
    );
    const productIds = [...written.values()];

    console.error('bench: starting the stack (production mode, throwaway databases)…');
    stack = await startStack({
      env,
      ports,
      onOutput: (name, line) => {
        log.push(`[${name}] ${line}`);
        if (log.length > 500) log.shift();
      },
    });

    // The catalogue's start-up backfill queued every product; the worker embeds them.
    const embedStarted = performance.now();
    for (let lastReport = 0; ;) {
      const [counted] = await catalogue.query<{ count: string }[]>('SELECT COUNT(*) AS count FROM product_embedding');
      const embedded = Number(counted?.count ?? 0);
      if (embedded >= productIds.length) break;
      if (performance.now() - embedStarted > 600_000) throw new Error(`only ${embedded} of ${productIds.length} products were embedded in 10 minutes`);
      if (performance.now() - lastReport > 5000) {
        console.error(`bench: ${embedded}/${productIds.length} products embedded`);
        lastReport = performance.now();
      }
      await sleep(500);
    }
    console.error(`bench: all ${productIds.length} products embedded ${((performance.now() - embedStarted) / 1000).toFixed(1)} s after the stack was up`);
    // The recommendation index reads new vectors every PRODUCT_INDEX_REFRESH_MS after its last
    // catch-up ended; one full interval plus the catch-up itself brings in all of them.
    await sleep(PRODUCT_INDEX_REFRESH_MS + 2000);

    const total = SUBSCRIBERS + BACKGROUND_SHOPPERS;
    console.error(`bench: signing up ${total} shoppers through the gateway…`);
    const accounts: { userId: string; token: string }[] = [];
    await inParallel(
      Array.from({ length: total }, (_, index) => index),
      4,
      async (index) => {
        const email = `shopper${index}@bench.serendip.test`;
        const response = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
          gateway,
          'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
          { input: { email, password: 'bench-password', displayName: `Bench shopper ${index}` } },
        );
        if (!response.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(response.errors)}`);
        accounts[index] = { userId: response.data.signUp.user.id, token: response.data.signUp.token };
      },
    );

    let backgroundPushes = 0;
    let streamFailures = 0;
    console.error(`bench: opening ${total} recommendationsUpdated subscriptions…`);
    await inParallel(accounts, 8, async (account, index) => {
      const client = gatewayWsClient(gateway, { authorization: `Bearer ${account.token}` });
      const events = client.iterate<SlateData>({ query: LIVE_SLATE });
      const shopper: Shopper = { ...account, client, slate: [], onPush: null, busy: false, lost: false, close: async () => void (await events.return?.()) };
      shoppers[index] = shopper;
      opened.push(shopper);
      const background = index >= SUBSCRIBERS;
      await new Promise<void>((ready, fail) => {
        void (async () => {
          try {
            for await (const result of events as AsyncIterable<FormattedExecutionResult<SlateData>>) {
              const slate = result.data?.recommendationsUpdated;
              const push: Push = {
                at: performance.now(),
                productIds: slate?.items.map((item) => item.product.id) ?? [],
                error: result.errors ? result.errors.map((error) => error.message).join('; ') : null,
              };
              if (!push.error) shopper.slate = push.productIds;
              if (background) backgroundPushes += 1;
              shopper.onPush?.(push);
              ready();
            }
            fail(new Error('a subscription completed'));
          } catch (error) {
            streamFailures += 1;
            fail(error instanceof Error ? error : new Error(JSON.stringify(error)));
          }
        })();
      });
    });
    const empty = shoppers.slice(0, SUBSCRIBERS).filter((shopper) => shopper.slate.length === 0).length;
    if (empty > 0) throw new Error(`${empty} subscribers got an empty first slate; nothing to view`);

    // When each shopper's interest update completed: the worker publishes the notice just before.
    const interestEvents = openQueueEvents(QueueName.InterestUpdate, { redisUrl: settings.REDIS_URL, prefix: benchPrefix });
    closers.push(() => interestEvents.close());
    await interestEvents.waitUntilReady();
    const completionWaiters = new Map<string, (at: number) => void>();
    interestEvents.on('completed', ({ returnvalue }) => {
      const value: unknown = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
      const userId = (value as { userId?: unknown } | null)?.userId;
      if (typeof userId === 'string') completionWaiters.get(userId)?.(performance.now());
    });
    const probe = new PubSubProbe(settings.REDIS_URL);
    closers.push(() => probe.close());

    let eventCounter = 0;
    const track = (shopper: Shopper, productId: string) =>
      postGraphQL<{ trackEvents: { accepted: number } }>(
        gateway,
        TRACK,
        { events: [{ type: 'VIEW', productId, sessionId: 'bench', clientEventId: `bench-${(eventCounter += 1)}` }] },
        { authorization: `Bearer ${shopper.token}` },
      );

    // Background: other shoppers view random products at a steady rate, each event a full trip
    // through queue, worker, slate and gateway, since these shoppers are subscribed too.
    const background = shoppers.slice(SUBSCRIBERS);
    let backgroundStop = false;
    let backgroundSent = 0;
    let backgroundFailed = 0;
    let backgroundSkipped = 0;
    let backgroundInFlight = 0;
    const backgroundStarted = performance.now();
    const backgroundLoop =
      background.length > 0 && BACKGROUND_PER_S > 0
        ? atRate(
            BACKGROUND_PER_S,
            Number.POSITIVE_INFINITY,
            (i) => {
              // An overloaded stack must not pile up requests without bound; the skip is reported.
              if (backgroundInFlight >= 200) {
                backgroundSkipped += 1;
                return;
              }
              backgroundInFlight += 1;
              backgroundSent += 1;
              void track(background[i % background.length]!, productIds[randomInt(productIds.length)]!)
                .then((response) => {
                  if (response.errors) backgroundFailed += 1;
                })
                .catch(() => {
                  backgroundFailed += 1;
                })
                .finally(() => {
                  backgroundInFlight -= 1;
                });
            },
            () => backgroundStop,
          )
        : Promise.resolve();
    await sleep(3000);

    const subscribers = shoppers.slice(0, SUBSCRIBERS);
    let cursor = 0;
    /** The next subscriber with nothing in flight, round robin; null when every one is busy. */
    const nextIdle = (): Shopper | null => {
      for (let tried = 0; tried < subscribers.length; tried += 1) {
        const shopper = subscribers[cursor % subscribers.length]!;
        cursor += 1;
        if (!shopper.busy && !shopper.lost) return shopper;
      }
      return null;
    };
    /** Resolves with the time of the first push `accept` takes, or null after TIMEOUT_MS. */
    const awaitPush = (shopper: Shopper, accept: (push: Push) => boolean) =>
      new Promise<number | null>((done) => {
        const timer = setTimeout(() => {
          shopper.onPush = null;
          done(null);
        }, TIMEOUT_MS);
        shopper.onPush = (push) => {
          if (!accept(push)) return;
          clearTimeout(timer);
          shopper.onPush = null;
          done(push.at);
        };
      });

    const freshness: number[] = [];
    const trackLatency: number[] = [];
    const toCompletion: number[] = [];
    const completionToPush: number[] = [];
    let timeouts = 0;
    let completionMisses = 0;
    let stalePushes = 0;
    let errorPushes = 0;
    let trackFailures = 0;
    let unscheduled = 0;
    const inFlight: Promise<void>[] = [];

    const measure = async (shopper: Shopper, record: boolean) => {
      shopper.busy = true;
      try {
        const productId = shopper.slate[randomInt(shopper.slate.length)]!;
        const completed = new Promise<number | null>((done) => {
          const timer = setTimeout(() => done(null), TIMEOUT_MS);
          completionWaiters.set(shopper.userId, (at) => {
            clearTimeout(timer);
            done(at);
          });
        });
        const pushed = awaitPush(shopper, (push) => {
          if (push.error) errorPushes += 1;
          else if (push.productIds.includes(productId)) stalePushes += 1;
          return !push.error && !push.productIds.includes(productId);
        });
        const sentAt = performance.now();
        const response = await track(shopper, productId).catch((error: unknown) => ({ errors: [{ message: String(error) }] }));
        const trackedAt = performance.now();
        if (response.errors) {
          trackFailures += 1;
          console.error(`bench: trackEvents failed: ${JSON.stringify(response.errors)}`);
        }
        const [pushAt, completedAt] = await Promise.all([pushed, completed]);
        completionWaiters.delete(shopper.userId);
        if (pushAt === null) {
          // Its push may still come and would be mistaken for a later event's.
          shopper.lost = true;
          if (record) timeouts += 1;
          return;
        }
        if (!record) return;
        freshness.push(pushAt - sentAt);
        trackLatency.push(trackedAt - sentAt);
        if (completedAt === null) completionMisses += 1;
        else {
          toCompletion.push(completedAt - sentAt);
          completionToPush.push(pushAt - completedAt);
        }
      } finally {
        shopper.busy = false;
      }
    };

    console.error(
      `bench: ${WARMUP_EVENTS} warm-up and ${EVENTS} measured events at ${EVENTS_PER_S}/s over ${SUBSCRIBERS} subscribers, background ${BACKGROUND_PER_S}/s over ${background.length} shoppers…`,
    );
    const measuredStarted = performance.now();
    const cpu = cpuMeter(
      new Map([...[...stack.children].flatMap(([name, child]) => (child.pid === undefined ? [] : [[name, child.pid] as const])), ...serverPids()]),
    );
    await atRate(EVENTS_PER_S, WARMUP_EVENTS + EVENTS, (i) => {
      const shopper = nextIdle();
      if (!shopper) {
        unscheduled += 1;
        return;
      }
      inFlight.push(measure(shopper, i >= WARMUP_EVENTS));
      if ((i + 1) % 50 === 0) console.error(`bench: ${i + 1}/${WARMUP_EVENTS + EVENTS} events sent`);
    });
    await Promise.all(inFlight);
    const measuredSeconds = (performance.now() - measuredStarted) / 1000;
    const cpuShares = cpu();

    // The same push path without queue and worker: a notice published straight on the channel.
    console.error(`bench: ${PUBLISH_PROBES} direct publishes at ${EVENTS_PER_S}/s…`);
    const publishToPush: number[] = [];
    let publishTimeouts = 0;
    let unheard = 0;
    const probes: Promise<void>[] = [];
    await atRate(EVENTS_PER_S, PUBLISH_PROBES, () => {
      const shopper = nextIdle();
      if (!shopper) {
        unscheduled += 1;
        return;
      }
      shopper.busy = true;
      probes.push(
        (async () => {
          try {
            const pushed = awaitPush(shopper, (push) => {
              if (push.error) errorPushes += 1;
              return !push.error;
            });
            const sentAt = performance.now();
            if ((await probe.publish(Topic.recommendationsUpdated(shopper.userId, benchPrefix))) < 1) unheard += 1;
            const pushAt = await pushed;
            if (pushAt === null) {
              shopper.lost = true;
              publishTimeouts += 1;
            } else publishToPush.push(pushAt - sentAt);
          } finally {
            shopper.busy = false;
          }
        })(),
      );
    });
    await Promise.all(probes);

    backgroundStop = true;
    await backgroundLoop;
    const backgroundSeconds = (performance.now() - backgroundStarted) / 1000;
    while (backgroundInFlight > 0) await sleep(50);

    const fresh = row('event → updated slate pushed', freshness, timeouts);
    const rows = [
      fresh,
      row('  trackEvents round trip', trackLatency, 0),
      row('  event → interest update completed', toCompletion, completionMisses),
      row('  update completed → push', completionToPush, 0),
      row('direct PUBLISH → push (no event)', publishToPush, publishTimeouts),
    ];
    printTable(rows);
    const problems = [
      stalePushes && `${stalePushes} stale pushes`,
      errorPushes && `${errorPushes} error pushes`,
      trackFailures && `${trackFailures} failed trackEvents`,
      unscheduled && `${unscheduled} events not sent (every subscriber busy)`,
      unheard && `${unheard} publishes nobody heard`,
      backgroundFailed && `${backgroundFailed} failed background events`,
      backgroundSkipped && `${backgroundSkipped} background events skipped (200 in flight)`,
      streamFailures && `${streamFailures} subscriptions failed`,
    ].filter(Boolean);
    console.log(
      `\n${SUBSCRIBERS} subscribers + ${background.length} background shoppers (subscribed), ${productIds.length} products; ` +
        `measured ${EVENTS_PER_S}/s, background ${(backgroundSent / backgroundSeconds).toFixed(1)}/s achieved, ${backgroundPushes} background pushes; ` +
        `${problems.length > 0 ? problems.join(', ') : 'no stale, error or lost pushes'}`,
    );
    console.log(
      `CPU while measuring (% of one core; the machine has ${CORES}): ${Object.entries(cpuShares)
        .map(([name, share]) => `${name} ${share}`)
        .join(', ')}`,
    );
    const stackErrors = log.filter((line) => /error|fail/i.test(line));
    if (stackErrors.length > 0)
      console.error(`bench: the stack logged ${stackErrors.length} error lines, the last ones:\n${stackErrors.slice(-10).join('\n')}`);
    console.log(
      JSON.stringify({
        bench: 'freshness',
        cores: CORES,
        loadavg_1m_at_start: round(loadAtStart, 2),
        products: productIds.length,
        subscribers: SUBSCRIBERS,
        background_shoppers: background.length,
        background_events_per_s: BACKGROUND_PER_S,
        background_events_per_s_achieved: round(backgroundSent / backgroundSeconds),
        events: freshness.length,
        events_per_s: EVENTS_PER_S,
        measured_seconds: round(measuredSeconds),
        p50_ms: round(fresh.p50),
        p90_ms: round(fresh.p90),
        p99_ms: round(fresh.p99),
        max_ms: round(fresh.max),
        timeouts,
        stale_pushes: stalePushes,
        error_pushes: errorPushes,
        track_p50_ms: round(rows[1]!.p50),
        track_p99_ms: round(rows[1]!.p99),
        to_update_completed_p50_ms: round(rows[2]!.p50),
        to_update_completed_p99_ms: round(rows[2]!.p99),
        completed_to_push_p50_ms: round(rows[3]!.p50),
        completed_to_push_p99_ms: round(rows[3]!.p99),
        publish_to_push_p50_ms: round(rows[4]!.p50),
        publish_to_push_p99_ms: round(rows[4]!.p99),
        publish_timeouts: publishTimeouts,
        cpu_pct_while_measuring: cpuShares,
      }),
    );
  } catch (error) {
    console.error(log.slice(-40).join('\n'));
    throw error;
  } finally {
    stopHandlingSignals();
    await cleanup();
  }
}

main().then(
  // Keep-alive sockets and Redis handles of borrowed clients must not keep the process up.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
