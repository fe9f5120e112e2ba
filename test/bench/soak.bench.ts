/**
 * pnpm bench:soak — a long run of steady, mixed load against a throwaway stack in production mode,
 * watching each process's memory and event-loop lag over time (docs/reliability.md, "Soak
 * benchmark"). Goal: every process's RSS grows less than GOAL_GROWTH_PCT (10 %) from the end of the
 * warm-up to the end, and no request fails.
 *
 * Settings: SOAK_MINUTES (30), the whole run; SOAK_WARMUP_MINUTES (10 % of the run), not held to the
 * goal (caches fill, the JIT settles); SOAK_RATE (5 requests/s, modest for a 2-core machine that also
 * runs the stack). The limits per client are raised (LOOPBACK_CLIENT_LIMITS): every shopper sends
 * from 127.0.0.1, and the soak measures the stack over time, not its limits (bench:abuse does).
 * Access tokens last the run and an hour more (JWT_TTL_SECONDS): every shopper signs in once.
 *
 * The load: SHOPPERS signed-in shoppers take turns, one request every 1/SOAK_RATE s on a fixed
 * schedule (not after the previous answer): a page of products, a product with its reviews, a slate
 * of recommendations, a VIEW with trackEvents, in turn; every REVIEW_EVERY-th request instead writes
 * a review (each shopper reviews each product at most once, so reviews stop after SHOPPERS × PRODUCTS,
 * and their turn then reads products). SUBSCRIPTIONS more shoppers hold recommendationsUpdated open
 * over graphql-ws through the gateway for the whole run, and their VIEWs push new slates to them; a
 * subscription that errs or ends counts as an error.
 *
 * Every SAMPLE_SECONDS (10): VmRSS of each stack process (gateway, the four subgraphs, the inference
 * worker) from /proc, and the event-loop lag (p99 and mean over the last 10 s) and V8 heap in use
 * that the gateway and each subgraph publish on /metrics (serendip_event_loop_lag_ms,
 * serendip_process_memory_bytes): growth of the heap is our code's, growth of RSS alone is native
 * memory or a heap not shrunk yet; the worker's only RSS here (its /metrics, on WORKER_HEALTH_PORT,
 * is left out of this table). A chart of RSS over time goes to
 * bench-results/soak-memory.svg.
 *
 * Progress on stderr; tables, then as its last line one JSON object on stdout. Removes its databases,
 * queues and Redis keys at the end, also on failure or SIGINT.
 */
import { postGraphQL, type GraphQLResponse } from '@serendip/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gatewayWsClient } from '../../gateway/test/support/ws-client';
import { setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, type RunningStack } from '../../scripts/stack';
import { withAdminRoles } from '../../subgraphs/user/src';
import { atRate, benchStack, cleanUpOnSignal, cpuMeter, memoryOf, percentile, printColumns, serverPids, sleep } from './harness';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const WARMUP_MINUTES = Number(process.env.SOAK_WARMUP_MINUTES ?? MINUTES / 10);
const RATE = Number(process.env.SOAK_RATE ?? 5);
const SAMPLE_SECONDS = 10;
const GOAL_GROWTH_PCT = 10;
const SHOPPERS = 8;
const SUBSCRIPTIONS = 4;
const PRODUCTS = 60;
const REVIEW_EVERY = 25;
const PASSWORD = 'bench-password';
const CHART = join(__dirname, '..', '..', 'bench-results', 'soak-memory.svg');

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }';
const SIGN_IN = 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }';
const REVIEW = 'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }';
const PRODUCT = 'query ($id: ID!) { product(id: $id) { id title price reviews(first: 5) { nodes { rating text } } } }';
const LIVE_SLATE = 'subscription { recommendationsUpdated(slot: HOME) { recommendationId items { product { id } } } }';

type WsClient = ReturnType<typeof gatewayWsClient>;

const STEPS = ['products', 'product', 'recommendations', 'trackEvents', 'review'] as const;
type Step = (typeof STEPS)[number];

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const progress = (message: string) => console.error(`bench: ${message}`);

interface Sample {
  /** Seconds since the load started. */
  at: number;
  rssMb: Record<string, number>;
  /** By process: p99 and mean of its event-loop lag over the last window; absent for the worker. */
  lag: Record<string, { p99Ms: number; meanMs: number }>;
  /** By process: its V8 heap in use, in MiB; absent for the worker. */
  heapMb: Record<string, number>;
}

/** serendip_event_loop_lag_ms and the heap in use (serendip_process_memory_bytes) of one process's /metrics, or null where it does not answer. */
async function processMetrics(port: number): Promise<{ lag: { p99Ms: number; meanMs: number }; heapMb: number } | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const stat = (name: string) => Number(new RegExp(`^serendip_event_loop_lag_ms\\{[^}]*stat="${name}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    const heapBytes = Number(/^serendip_process_memory_bytes\{[^}]*kind="heap_used"\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
    return { lag: { p99Ms: stat('p99'), meanMs: stat('mean') }, heapMb: Math.round(heapBytes / 1048576) };
  } catch {
    return null;
  }
}

/** A line chart of each process's RSS over time, the end of the warm-up marked. */
function memoryChartSvg(samples: readonly Sample[], names: readonly string[], warmupSeconds: number, title: string): string {
  const width = 900;
  const height = 420;
  const left = 60;
  const right = 150;
  const top = 40;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxT = Math.max(1, ...samples.map((sample) => sample.at));
  const maxMb = Math.max(1, ...samples.flatMap((sample) => names.map((name) => sample.rssMb[name] ?? 0))) * 1.1;
  const x = (seconds: number) => left + (seconds / maxT) * plotW;
  const y = (mb: number) => top + plotH - (mb / maxMb) * plotH;
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${title}</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="black"/>`,
  ];
  for (let tick = 0; tick <= 5; tick += 1) {
    const mb = (maxMb * tick) / 5;
    const seconds = (maxT * tick) / 5;
    parts.push(`<text x="${left - 6}" y="${y(mb) + 4}" text-anchor="end">${Math.round(mb)}</text>`);
    parts.push(`<line x1="${left}" y1="${y(mb)}" x2="${left + plotW}" y2="${y(mb)}" stroke="#eee"/>`);
    parts.push(`<text x="${x(seconds)}" y="${top + plotH + 16}" text-anchor="middle">${(seconds / 60).toFixed(1)}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle">minutes</text>`);
  parts.push(`<text x="15" y="${top + plotH / 2}" transform="rotate(-90 15 ${top + plotH / 2})" text-anchor="middle">RSS (MiB)</text>`);
  parts.push(`<line x1="${x(warmupSeconds)}" y1="${top}" x2="${x(warmupSeconds)}" y2="${top + plotH}" stroke="#999" stroke-dasharray="4 4"/>`);
  parts.push(`<text x="${x(warmupSeconds) + 4}" y="${top + 12}" fill="#666">end of warm-up</text>`);
  names.forEach((name, index) => {
    const colour = colours[index % colours.length]!;
    const points = samples.map((sample) => `${x(sample.at).toFixed(1)},${y(sample.rssMb[name] ?? 0).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    parts.push(`<rect x="${left + plotW + 15}" y="${top + index * 18}" width="12" height="3" fill="${colour}"/>`);
    parts.push(`<text x="${left + plotW + 32}" y="${top + index * 18 + 5}">${name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

async function main(): Promise<void> {
  if (!(MINUTES > 0) || !(WARMUP_MINUTES >= 0) || WARMUP_MINUTES >= MINUTES || !(RATE > 0)) {
    throw new Error(`SOAK_MINUTES (${MINUTES}) must be over SOAK_WARMUP_MINUTES (${WARMUP_MINUTES}) ≥ 0, and SOAK_RATE (${RATE}) over 0`);
  }
  const loadAtStart = loadavg()[0]!;
  // Every shopper sends from 127.0.0.1: the per-client limits are raised, the load is not what they
  // are for. Access tokens outlive the run: each shopper signs in once (refreshing sessions is the
  // sessions tests' subject, not the soak's), and an expired one would fail every request after
  // 15 minutes.
  const {
    ports,
    prefix: benchPrefix,
    env,
    settings,
    gatewayUrl: gateway,
    dropData,
  } = benchStack(21000, {
    ...LOOPBACK_CLIENT_LIMITS,
    JWT_TTL_SECONDS: String(Math.ceil(MINUTES * 60) + 3600),
  });
  const run = benchPrefix.slice('bench_'.length);
  const gql = <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> =>
    postGraphQL<T>(gateway, query, variables, token ? { authorization: `Bearer ${token}` } : {});

  let stack: RunningStack | null = null;
  const clients: WsClient[] = [];
  const stackLog: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.all(clients.map(async (client) => client.dispose()));
      await stack?.stop();
      await dropData();
    })());
  const stopHandlingSignals = cleanUpOnSignal(cleanup);

  try {
    await setUpDatabases(settings);
    progress(`starting the stack (production mode, prefix ${benchPrefix})…`);
    stack = await startStack({
      env,
      ports,
      onOutput: (name, line) => {
        stackLog.push(`[${name}] ${line}`);
        if (stackLog.length > 2000) stackLog.shift();
      },
    });
    const pids = new Map([...stack.children].flatMap(([name, child]) => (child.pid === undefined ? [] : [[name, child.pid] as const])));
    const metricPorts: Record<string, number> = { ...ports };

    // Seed: an admin creates the products; shoppers sign up.
    const signUp = async (name: string) => {
      const email = `${name}-${run}@bench.serendip.test`;
      const reply = await gql<{ signUp: { token: string } }>(SIGN_UP, { input: { email, password: PASSWORD, displayName: name } });
      if (!reply.data) throw new Error(`sign-up failed: ${JSON.stringify(reply.errors)}`);
      return { email, token: reply.data.signUp.token };
    };
    const admin = await signUp('admin');
    await withAdminRoles(settings, (roles) => roles.grant(admin.email));
    // Signed in again, so the token carries the role just granted.
    const adminToken = (await gql<{ signIn: { token: string } }>(SIGN_IN, { email: admin.email, password: PASSWORD })).data?.signIn.token;
    if (!adminToken) throw new Error('the admin could not sign in');
    const category = await gql<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Soak" }) { id } }', {}, adminToken);
    const products: string[] = [];
    for (let index = 0; index < PRODUCTS; index += 1) {
      const reply = await gql<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        { input: { sku: `SOAK-${index}`, title: `Soak product ${index}`, categoryId: category.data?.createCategory.id, price: 10 + index } },
        adminToken,
      );
      if (!reply.data) throw new Error(`createProduct failed: ${JSON.stringify(reply.errors)}`);
      products.push(reply.data.createProduct.id);
    }
    const shoppers: string[] = [];
    for (let index = 0; index < SHOPPERS + SUBSCRIPTIONS; index += 1) shoppers.push((await signUp(`shopper${index}`)).token);

    // Subscriptions: held open for the whole run; their shoppers' VIEWs push new slates.
    const errors: Record<Step | 'subscription', number> = { products: 0, product: 0, recommendations: 0, trackEvents: 0, review: 0, subscription: 0 };
    const lastErrors: string[] = [];
    const failed = (what: Step | 'subscription', detail: string) => {
      errors[what] += 1;
      lastErrors.push(`${what}: ${detail}`);
      if (lastErrors.length > 5) lastErrors.shift();
    };
    let pushes = 0;
    const subscribers = shoppers.slice(SHOPPERS);
    for (const token of subscribers) {
      const client = gatewayWsClient(gateway, { authorization: `Bearer ${token}` });
      clients.push(client);
      client.subscribe(
        { query: LIVE_SLATE },
        {
          next: (result) => (result.errors ? failed('subscription', JSON.stringify(result.errors)) : (pushes += 1)),
          error: (error) => failed('subscription', JSON.stringify(error)),
          complete: () => failed('subscription', 'ended by the server'),
        },
      );
    }
    // Who is browsing: the shoppers, and the subscribers too (so that their slates change).
    const browsing = [...shoppers];

    const latencies: Record<Step, number[]> = { products: [], product: [], recommendations: [], trackEvents: [], review: [] };
    let reviews = 0;
    const request = async (i: number): Promise<void> => {
      const token = browsing[i % browsing.length]!;
      const productId = products[(i * 7) % products.length]!;
      let step: Step = i % REVIEW_EVERY === REVIEW_EVERY - 1 ? 'review' : STEPS[i % 4]!;
      // Review k: shopper k % SHOPPERS on product ⌊k / SHOPPERS⌋, each pair once.
      if (step === 'review' && reviews >= SHOPPERS * products.length) step = 'products';
      const started = performance.now();
      let reply: GraphQLResponse<unknown>;
      try {
        if (step === 'products') reply = await gql('{ products(first: 20) { nodes { id title price } } }', {}, token);
        else if (step === 'product') reply = await gql(PRODUCT, { id: productId }, token);
        else if (step === 'recommendations')
          reply = await gql('{ recommendations(first: 10) { recommendationId items { product { id title price } source } } }', {}, token);
        else if (step === 'trackEvents')
          reply = await gql(TRACK, { events: [{ type: 'VIEW', productId, sessionId: 'soak', clientEventId: `soak-${i}` }] }, token);
        else {
          const k = reviews++;
          reply = await gql(
            REVIEW,
            {
              input: {
                productId: products[Math.floor(k / SHOPPERS)]!,
                rating: 1 + (k % 5),
                text: `Soak review ${k}: it does what it says, and the colour is nice.`,
              },
            },
            shoppers[k % SHOPPERS],
          );
        }
      } catch (error) {
        failed(step, error instanceof Error ? error.message : String(error));
        return;
      }
      latencies[step].push(performance.now() - started);
      if (reply.status !== 200 || reply.errors) failed(step, `HTTP ${reply.status} ${JSON.stringify(reply.errors)}`);
    };

    const seconds = MINUTES * 60;
    const warmupSeconds = WARMUP_MINUTES * 60;
    progress(
      `${SHOPPERS + SUBSCRIPTIONS} shoppers (${SUBSCRIPTIONS} subscribed), ${RATE} requests/s for ${MINUTES} min (warm-up ${WARMUP_MINUTES} min), sampling every ${SAMPLE_SECONDS} s…`,
    );
    const samples: Sample[] = [];
    const loadStarted = performance.now();
    const elapsed = () => (performance.now() - loadStarted) / 1000;
    const take = async (): Promise<Sample> => {
      const sample: Sample = { at: round(elapsed()), rssMb: {}, lag: {}, heapMb: {} };
      for (const [name, pid] of pids) sample.rssMb[name] = (await memoryOf(pid)).rssMb;
      for (const [name, port] of Object.entries(metricPorts)) {
        const metrics = await processMetrics(port);
        if (!metrics) continue;
        sample.lag[name] = metrics.lag;
        sample.heapMb[name] = metrics.heapMb;
      }
      samples.push(sample);
      return sample;
    };
    await take();
    const inFlight = new Set<Promise<void>>();
    let stopped = false;
    let warmupSample: Sample | null = null;
    let warmupLoad = Number.NaN;
    let cpuAfterWarmup: (() => Record<string, number>) | null = null;
    const sampler = (async () => {
      for (let n = 1; !stopped; n += 1) {
        await sleep(Math.max(0, n * SAMPLE_SECONDS * 1000 - (performance.now() - loadStarted)));
        if (stopped) break;
        const sample = await take();
        if (!warmupSample && sample.at >= warmupSeconds) {
          warmupSample = sample;
          warmupLoad = loadavg()[0]!;
          cpuAfterWarmup = cpuMeter(new Map([...pids, ...serverPids()]));
          progress(`warm-up over at ${sample.at} s; RSS ${JSON.stringify(sample.rssMb)}`);
        } else if (n % 6 === 0) {
          const failures = Object.values(errors).reduce((sum, count) => sum + count, 0);
          progress(`${(sample.at / 60).toFixed(1)} min: RSS ${JSON.stringify(sample.rssMb)}, ${failures} errors, ${pushes} pushes`);
        }
      }
    })();
    await atRate(RATE, Math.floor(RATE * seconds), (i) => {
      const pending = request(i).finally(() => inFlight.delete(pending));
      inFlight.add(pending);
    });
    await Promise.all(inFlight);
    stopped = true;
    await sampler;
    const end = await take();
    const cpu = cpuAfterWarmup ? (cpuAfterWarmup as () => Record<string, number>)() : {};
    const loadAtEnd = loadavg()[0]!;
    const warm = warmupSample ?? samples[0]!;

    const names = [...pids.keys()];
    const perProcess = Object.fromEntries(
      names.map((name) => {
        const after = samples.filter((sample) => sample.at >= warm.at);
        const lagP99 = after.map((sample) => sample.lag[name]?.p99Ms).filter((value): value is number => value !== undefined && Number.isFinite(value));
        const lagMean = after.map((sample) => sample.lag[name]?.meanMs).filter((value): value is number => value !== undefined && Number.isFinite(value));
        const rssWarm = warm.rssMb[name]!;
        const rssEnd = end.rssMb[name]!;
        const heapWarm = warm.heapMb[name];
        const heapEnd = end.heapMb[name];
        return [
          name,
          {
            rss_mb_start: samples[0]!.rssMb[name]!,
            rss_mb_after_warmup: rssWarm,
            rss_mb_end: rssEnd,
            rss_mb_max_after_warmup: Math.max(...after.map((sample) => sample.rssMb[name]!)),
            growth_pct_after_warmup: round((100 * (rssEnd - rssWarm)) / rssWarm),
            heap_mb_after_warmup: heapWarm ?? null,
            heap_mb_end: heapEnd ?? null,
            event_loop_lag_ms_max_p99: lagP99.length > 0 ? Math.max(...lagP99) : null,
            event_loop_lag_ms_mean: lagMean.length > 0 ? round(lagMean.reduce((sum, value) => sum + value, 0) / lagMean.length, 2) : null,
          },
        ];
      }),
    );
    const requests = Object.fromEntries(
      STEPS.map((step) => {
        const sorted = [...latencies[step]].sort((a, b) => a - b);
        return [step, { requests: sorted.length, errors: errors[step], p50_ms: round(percentile(sorted, 50), 2), p99_ms: round(percentile(sorted, 99), 2) }];
      }),
    );
    const errorCount = Object.values(errors).reduce((sum, count) => sum + count, 0);
    const stackErrors = stackLog.filter((line) => /error/i.test(line));
    if (lastErrors.length > 0) progress(`the last errors:\n${lastErrors.join('\n')}`);
    if (stackErrors.length > 0) progress(`the stack logged ${stackErrors.length} lines with "error", the last ones:\n${stackErrors.slice(-5).join('\n')}`);

    mkdirSync(join(CHART, '..'), { recursive: true });
    writeFileSync(CHART, memoryChartSvg(samples, names, warm.at, `Soak: RSS per process, ${MINUTES} min at ${RATE} requests/s`));

    console.log(`\nPer process, after a warm-up of ${WARMUP_MINUTES} min (goal: RSS growth < ${GOAL_GROWTH_PCT} %)`);
    printColumns(
      ['process', 'RSS start MiB', 'after warm-up', 'end', 'max', 'growth %', 'heap after warm-up → end MiB', 'lag p99 max ms', 'lag mean ms'],
      names.map((name) => {
        const row = perProcess[name]!;
        return [
          name,
          String(row.rss_mb_start),
          String(row.rss_mb_after_warmup),
          String(row.rss_mb_end),
          String(row.rss_mb_max_after_warmup),
          row.growth_pct_after_warmup.toFixed(1),
          row.heap_mb_after_warmup === null ? '-' : `${row.heap_mb_after_warmup} → ${row.heap_mb_end}`,
          row.event_loop_lag_ms_max_p99 === null ? '-' : row.event_loop_lag_ms_max_p99.toFixed(1),
          row.event_loop_lag_ms_mean === null ? '-' : row.event_loop_lag_ms_mean.toFixed(2),
        ];
      }),
    );
    console.log('\nRequests over the whole run (goal: 0 errors)');
    printColumns(
      ['request', 'sent', 'errors', 'p50 ms', 'p99 ms'],
      STEPS.map((step) => {
        const row = requests[step]!;
        return [step, String(row.requests), String(row.errors), row.p50_ms.toFixed(2), row.p99_ms.toFixed(2)];
      }),
    );
    console.log(`subscriptions: ${SUBSCRIPTIONS} open, ${pushes} slates pushed, ${errors.subscription} errors`);
    console.log(`chart: ${CHART}`);
    const growthOk = names.every((name) => perProcess[name]!.growth_pct_after_warmup < GOAL_GROWTH_PCT);
    const result = {
      bench: 'soak',
      minutes: MINUTES,
      warmup_minutes: WARMUP_MINUTES,
      requests_per_s: RATE,
      shoppers: SHOPPERS,
      subscriptions: SUBSCRIPTIONS,
      machine: {
        cpus: availableParallelism(),
        loadavg_1m_at_start: round(loadAtStart, 2),
        loadavg_1m_after_warmup: round(warmupLoad, 2),
        loadavg_1m_at_end: round(loadAtEnd, 2),
        cpu_pct_of_one_core_after_warmup: cpu,
      },
      processes: perProcess,
      requests,
      subscription: { pushes, errors: errors.subscription },
      errors: errorCount,
      stack_log_error_lines: stackErrors.length,
      goal: { growth_pct_below: GOAL_GROWTH_PCT, errors: 0 },
      within_goal: growthOk && errorCount === 0,
      chart: 'bench-results/soak-memory.svg',
      samples: samples.map((sample) => ({ at_s: sample.at, rss_mb: sample.rssMb, heap_mb: sample.heapMb })),
    };
    console.log(JSON.stringify(result));
  } finally {
    stopHandlingSignals();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
