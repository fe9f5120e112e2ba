/**
 * pnpm bench:scale — what a second recommendation replica and a second worker buy on this machine:
 * requests/s, p50 and p99 of a mixed shopper workload through the gateway with 1 or 2
 * recommendation replicas and 1 or 2 workers, each process's CPU time per request, the cores the
 * platform kept busy and requests/s per busy core, and the gateway's own cost per request.
 *
 * Workload: BENCH_CONCURRENCY (8) virtual shoppers in a closed loop, each its own signed-in
 * account running the cycle browse, browse, recommendations, trackEvents: a page of products with
 * their rating summaries (catalogue and feedback; pages in turn), a HOME slate of 10 (recommendation,
 * product fields from the catalogue), and a VIEW of a browsed product with a CLICK on an item of
 * the shopper's last slate carrying its recommendationId (recommendation; each queues an interest
 * update for the workers). So half the requests browse, a quarter ask for slates, a quarter track.
 *
 * One throwaway stack in production mode runs every configuration: two recommendation replicas
 * (the gateway's RECOMMENDATION_URL lists both) and two workers are started, and a configuration
 * with one of either stops the second (SIGTERM, as an orchestrator scales in; the gateway passes
 * over a replica that refuses connections) or starts it again. The order 2+2, 2+1, 1+1, 1+2 changes
 * one process per step, and every other round runs it backwards, so drift in the machine's load
 * falls on every configuration alike. After a replica starts the bench waits out the gateway's
 * pause on refused replicas (REFUSED_REPLICA_PAUSE_MS), then BENCH_WARMUP_SECONDS (3) of load
 * uncounted, then BENCH_SECONDS (10) measured; BENCH_ROUNDS (2) rounds; figures are means over
 * rounds. CPU time comes from /proc for each process of the stack and for MariaDB and Redis (which
 * other work on the machine may share); `other` is the rest of the machine's busy time.
 *
 * The gateway's overhead, once per round: the same catalogue query (a page of products) sent
 * straight to the catalogue (signed as the gateway signs) and through the gateway, one run each,
 * with the gateway's CPU time per request.
 *
 * The catalogue: the first BENCH_PRODUCTS (100) Amazon Beauty titles of SERENDIP_DATA_DIR, mapped
 * as the demo import maps them and created through the gateway; the bench waits until both
 * replicas' product indexes hold every one (the workers embedded them). Removes its databases and
 * Redis keys at the end, also on failure or SIGINT. Progress on stderr; tables, then as its last
 * line one JSON object on stdout.
 */
import { metricValue, postGraphQL, subgraphClient, type GraphQLResponse } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REFUSED_REPLICA_PAUSE_MS } from '../../gateway/src/replicas';
import { withAdminRoles } from '../../subgraphs/user/src';
import { planBeauty } from '../../tools/demo-data/src/plan';
import { PROFILE_LIMITS } from '../../tools/demo-data/src/profile';
import { readBeauty } from '../../tools/demo-data/src/sources/amazon-beauty.source';
import { setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, replicaName, startStack, type RunningStack } from '../../scripts/stack';
import { benchStack, cleanUpOnSignal, cpuMeter, inParallel, type LoadResult, printColumns, printTable, runLoad, serverPids, sleep } from './harness';

const DATA_DIR = process.env.SERENDIP_DATA_DIR ?? resolve(__dirname, '../../../shared/data');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100);
const INDEX_TIMEOUT_MS = 300_000;
const CORES = availableParallelism();

const BROWSE = `query ($after: String) {
  products(first: 12, after: $after) { nodes { id title price ratingSummary { count } } pageInfo { hasNextPage endCursor } }
}`;
const RECOMMEND = '{ recommendations(slot: HOME, first: 10) { recommendationId items { product { id title price } } } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';
/** The gateway-overhead query: the catalogue's alone, so the direct side is one call too. */
const PAGE = '{ products(first: 12) { nodes { id title price } } }';
const CYCLE = ['browse', 'browse', 'recommend', 'track'] as const;

interface Configuration {
  name: string;
  recommendation: 1 | 2;
  worker: 1 | 2;
}
/** Each differs from the one before by one process; odd rounds run it backwards. */
const ORDER: readonly Configuration[] = [
  { name: '2 rec + 2 workers', recommendation: 2, worker: 2 },
  { name: '2 rec + 1 worker', recommendation: 2, worker: 1 },
  { name: '1 rec + 1 worker', recommendation: 1, worker: 1 },
  { name: '1 rec + 2 workers', recommendation: 1, worker: 2 },
];
const BASELINE = '1 rec + 1 worker';
const REPLICAS = [1, 2].map((k) => replicaName('recommendation', k));
const WORKERS = [1, 2].map((k) => replicaName('worker', k));
const [, SECOND_REPLICA] = REPLICAS as [string, string];
const [, SECOND_WORKER] = WORKERS as [string, string];

/** Where CPU time is counted per request: the platform's processes by kind (replicas added up), then the shared servers. */
const KINDS = ['gateway', 'user', 'catalogue', 'recommendation', 'feedback', 'worker'] as const;
const SERVERS = ['mariadb', 'redis'] as const;

interface Shopper {
  token: string;
  after: string | null;
  browsed: string[];
  slate: { recommendationId: string; productIds: string[] } | null;
  step: number;
}

interface ConfigurationRun extends LoadResult {
  configuration: string;
  /** Interest updates the running workers completed per second. */
  jobsPerSecond: number;
  /** Of the slates served, the share the second recommendation replica served. */
  secondReplicaShare: number;
  /** CPU milliseconds per request, by process kind and server. */
  cpuMsPerRequest: Record<(typeof KINDS)[number] | (typeof SERVERS)[number], number>;
  /** Cores the platform's processes kept busy, and with MariaDB and Redis. */
  platformCores: number;
  cores: number;
  /** Share of one core used by everything else on the machine. */
  otherCores: number;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const progress = (message: string) => console.error(`bench: ${message}`);
/** Error lines of the stack's processes echoed to stderr, at most. */
const MAX_SHOWN_ERRORS = 20;
let shownErrors = 0;
/** The first failure of the current run, printed after it: a bench that only counts errors hides what they were. */
const failure: { first: string | null } = { first: null };
const ok = (response: GraphQLResponse<unknown>) => {
  const fine = response.status === 200 && !response.errors;
  if (!fine) failure.first ??= `${response.status} ${JSON.stringify(response.errors ?? null).slice(0, 300)}`;
  return fine;
};
/** The first failure since the last call. */
const takeFailure = (): string | null => {
  const { first } = failure;
  failure.first = null;
  return first;
};

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const { ports, env, settings, gatewayUrl, dropData } = benchStack(28_000, { ...LOOPBACK_CLIENT_LIMITS, SEGMENT_REFRESH_MS: '0' });
  let stack: RunningStack | null = null;
  const log: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stack?.stop();
      await dropData();
    })());
  const stopHandlingSignals = cleanUpOnSignal(cleanup);

  try {
    const drafts = planBeauty(await readBeauty(DATA_DIR), PROFILE_LIMITS.full).products.slice(0, PRODUCTS);
    await setUpDatabases(settings);
    progress('starting the stack with 2 recommendation replicas and 2 workers (production mode, throwaway databases)…');
    stack = await startStack({
      env,
      ports,
      replicas: { recommendation: 2, worker: 2 },
      onOutput: (name, line) => {
        log.push(`[${name}] ${line}`);
        if (log.length > 200) log.shift();
        // A production error answers "Internal server error" to the client; its cause is only in the process's log.
        if (line.includes('"level":"error"') && shownErrors++ < MAX_SHOWN_ERRORS) progress(`[${name}] ${line.slice(0, 1500)}`);
      },
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${log.slice(-30).join('\n')}`);
    });
    const running = stack;
    const portOf = (name: string) => running.processes.find((spec) => spec.name === name)!.port;
    const metricsOf = async (name: string) => (await fetch(`http://127.0.0.1:${portOf(name)}/metrics`)).text();
    const alive = (name: string) => {
      const child = running.children.get(name);
      return !!child && child.exitCode === null && child.signalCode === null;
    };

    const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
      const response = await postGraphQL<T>(gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
      if (!response.data) throw new Error(JSON.stringify(response.errors));
      return response.data;
    };
    const admin = { email: 'admin@scale.serendip.test', password: 'bench-password' };
    await gql('mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', { input: { ...admin, displayName: 'Admin' } });
    await withAdminRoles(settings, (roles) => roles.grant(admin.email));
    const adminToken = (
      await gql<{ signIn: { token: string } }>('mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }', admin)
    ).signIn.token;
    const categories = new Map<string, string>();
    for (const draft of drafts) {
      const name = (draft.categoryPath.at(-1) ?? 'Beauty').slice(0, 100);
      if (!categories.has(name))
        categories.set(
          name,
          (await gql<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', { name }, adminToken))
            .createCategory.id,
        );
    }
    await inParallel(drafts, 4, async (draft) => {
      const { categoryPath, ...fields } = draft;
      await gql(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        { input: { ...fields, categoryId: categories.get((categoryPath.at(-1) ?? 'Beauty').slice(0, 100)) } },
        adminToken,
      );
    });
    progress(`created ${drafts.length} products; waiting until the workers embedded them and both replicas index them…`);
    const indexStarted = performance.now();
    for (const replica of REPLICAS) {
      while (metricValue(await metricsOf(replica), 'serendip_product_index_size') < drafts.length) {
        if (performance.now() - indexStarted > INDEX_TIMEOUT_MS)
          throw new Error(`${replica} did not index ${drafts.length} products in ${INDEX_TIMEOUT_MS} ms`);
        await sleep(500);
      }
    }
    progress(`indexed in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s; signing up ${CONCURRENCY} shoppers…`);
    const shoppers: Shopper[] = [];
    await inParallel(
      Array.from({ length: CONCURRENCY }, (_, index) => index),
      4,
      async (index) => {
        const { signUp } = await gql<{ signUp: { token: string } }>('mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', {
          input: { email: `shopper${index}@scale.serendip.test`, password: 'bench-password', displayName: `Shopper ${index}` },
        });
        shoppers[index] = { token: signUp.token, after: null, browsed: [], slate: null, step: index % CYCLE.length };
      },
    );

    /** One step of caller `caller`'s cycle, through the gateway as its shopper. */
    const shop = async (caller: number): Promise<boolean> => {
      const shopper = shoppers[caller]!;
      const auth = { authorization: `Bearer ${shopper.token}` };
      const step = CYCLE[shopper.step++ % CYCLE.length]!;
      if (step === 'browse') {
        const response = await postGraphQL<{ products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
          gatewayUrl,
          BROWSE,
          { after: shopper.after },
          auth,
        );
        if (!response.data) return ok(response);
        shopper.browsed = response.data.products.nodes.map((node) => node.id);
        shopper.after = response.data.products.pageInfo.hasNextPage ? response.data.products.pageInfo.endCursor : null;
        return ok(response);
      }
      if (step === 'recommend') {
        const response = await postGraphQL<{ recommendations: { recommendationId: string; items: { product: { id: string } }[] } }>(
          gatewayUrl,
          RECOMMEND,
          {},
          auth,
        );
        if (!response.data) return ok(response);
        const { recommendationId, items } = response.data.recommendations;
        shopper.slate = { recommendationId, productIds: items.map((item) => item.product.id) };
        return ok(response);
      }
      const events: Record<string, unknown>[] = [];
      const viewed = shopper.browsed[shopper.step % Math.max(1, shopper.browsed.length)];
      if (viewed) events.push({ type: 'VIEW', productId: viewed, sessionId: 'scale', clientEventId: randomUUID() });
      const clicked = shopper.slate?.productIds[shopper.step % Math.max(1, shopper.slate.productIds.length)];
      if (clicked)
        events.push({ type: 'CLICK', productId: clicked, recommendationId: shopper.slate!.recommendationId, sessionId: 'scale', clientEventId: randomUUID() });
      return ok(await postGraphQL(gatewayUrl, TRACK, { events }, auth));
    };

    /** Slates each replica has served to queries so far (0 for one that is stopped). */
    const slatesServed = () =>
      Promise.all(
        REPLICAS.map(async (name) => (alive(name) ? metricValue(await metricsOf(name), 'serendip_slate_duration_seconds_count', { source: 'query' }) || 0 : 0)),
      );
    const completedJobs = async (): Promise<number> => {
      let total = 0;
      for (const name of WORKERS.filter(alive))
        total += metricValue(await metricsOf(name), 'serendip_worker_jobs_total', { queue: 'interest-update', outcome: 'completed' }) || 0;
      return total;
    };
    const pidsNow = () =>
      new Map<string, number>([
        ...[...running.children].flatMap(([name, child]): [string, number][] => (alive(name) && child.pid !== undefined ? [[name, child.pid]] : [])),
        ...serverPids(),
      ]);

    const apply = async (configuration: Configuration) => {
      for (const [name, wanted] of [
        [SECOND_REPLICA, configuration.recommendation === 2],
        [SECOND_WORKER, configuration.worker === 2],
      ] as const) {
        if (wanted && !alive(name)) {
          progress(`starting ${name}…`);
          await running.start(name);
          // The gateway passed over the stopped replica; it tries it again after this pause.
          if (name === SECOND_REPLICA) await sleep(REFUSED_REPLICA_PAUSE_MS);
        } else if (!wanted && alive(name)) {
          progress(`stopping ${name}…`);
          await running.stopProcess(name);
        }
      }
    };

    const runs: ConfigurationRun[] = [];
    const overhead: { gateway: LoadResult; direct: LoadResult; gatewayCpuMs: number }[] = [];
    const catalogueDirect = subgraphClient(`http://127.0.0.1:${ports.catalogue}/graphql`, env.GATEWAY_SECRET);
    for (let r = 1; r <= ROUNDS; r += 1) {
      const order = r % 2 === 1 ? ORDER : [...ORDER].reverse();
      for (const configuration of order) {
        await apply(configuration);
        progress(`round ${r}/${ROUNDS}: ${configuration.name}`);
        const options = { concurrency: CONCURRENCY, warmupSeconds: 0 };
        await runLoad('warm-up', shop, { ...options, seconds: WARMUP_SECONDS });
        const pids = pidsNow();
        const jobsBefore = await completedJobs();
        const slatesBefore = await slatesServed();
        takeFailure();
        const meter = cpuMeter(pids);
        const result = await runLoad(`${configuration.name} (round ${r})`, shop, { ...options, seconds: SECONDS });
        const shares = meter();
        const jobs = (await completedJobs()) - jobsBefore;
        const slates = (await slatesServed()).map((count, index) => count - slatesBefore[index]!);
        const failed = takeFailure();
        if (failed) progress(`${result.errors} failed requests, the first: ${failed}`);
        // A share is % of one core over the run: CPU ms per request is share × seconds × 10 / requests.
        const msPerRequest = (names: string[]) => names.reduce((sum, name) => sum + (shares[name] ?? 0), 0) * ((result.seconds * 10) / result.requests);
        const namesOf = (kind: string) => [...pids.keys()].filter((name) => name === kind || name.startsWith(`${kind}-`));
        const platform = KINDS.flatMap(namesOf);
        runs.push({
          ...result,
          configuration: configuration.name,
          jobsPerSecond: jobs / result.seconds,
          secondReplicaShare: slates[1]! / Math.max(1, slates[0]! + slates[1]!),
          cpuMsPerRequest: Object.fromEntries([...KINDS, ...SERVERS].map((kind) => [kind, msPerRequest(namesOf(kind))])) as ConfigurationRun['cpuMsPerRequest'],
          platformCores: platform.reduce((sum, name) => sum + (shares[name] ?? 0), 0) / 100,
          cores: [...platform, ...SERVERS.flatMap(namesOf)].reduce((sum, name) => sum + (shares[name] ?? 0), 0) / 100,
          otherCores: (shares.other ?? 0) / 100,
        });
      }
      progress(`round ${r}/${ROUNDS}: gateway overhead`);
      const overheadOptions = { concurrency: CONCURRENCY, seconds: SECONDS / 2, warmupSeconds: 1 };
      const runDirect = () => runLoad(`catalogue page direct (round ${r})`, async () => ok(await catalogueDirect(PAGE)), overheadOptions);
      const runGateway = async () => {
        const meter = cpuMeter(new Map([['gateway', running.children.get('gateway')!.pid!]]));
        const result = await runLoad(`catalogue page via gateway (round ${r})`, async () => ok(await postGraphQL(gatewayUrl, PAGE)), overheadOptions);
        return { result, cpuMs: ((meter().gateway ?? 0) * result.seconds * 10) / result.requests };
      };
      // Direct first in odd rounds, second in even ones, as the configurations alternate.
      if (r % 2 === 1) {
        const direct = await runDirect();
        const viaGateway = await runGateway();
        overhead.push({ direct, gateway: viaGateway.result, gatewayCpuMs: viaGateway.cpuMs });
      } else {
        const viaGateway = await runGateway();
        overhead.push({ direct: await runDirect(), gateway: viaGateway.result, gatewayCpuMs: viaGateway.cpuMs });
      }
    }
    const loadAtEnd = loadavg();

    printTable([...runs, ...overhead.flatMap((pair) => [pair.direct, pair.gateway])]);
    const byConfiguration = ORDER.map((configuration) => {
      const mine = runs.filter((run) => run.configuration === configuration.name);
      const perSecond = mean(mine.map((run) => run.perSecond));
      const cores = mean(mine.map((run) => run.cores));
      return {
        configuration,
        perSecond,
        p50: mean(mine.map((run) => run.p50Ms)),
        p99: mean(mine.map((run) => run.p99Ms)),
        errors: mine.reduce((sum, run) => sum + run.errors, 0),
        jobsPerSecond: mean(mine.map((run) => run.jobsPerSecond)),
        secondReplicaShare: mean(mine.map((run) => run.secondReplicaShare)),
        platformCores: mean(mine.map((run) => run.platformCores)),
        cores,
        otherCores: mean(mine.map((run) => run.otherCores)),
        perCore: mean(mine.map((run) => run.perSecond / run.cores)),
        cpuMs: Object.fromEntries(
          [...KINDS, ...SERVERS].map((kind) => [kind, mean(mine.map((run) => run.cpuMsPerRequest[kind]))]),
        ) as ConfigurationRun['cpuMsPerRequest'],
      };
    });
    const baseline = byConfiguration.find((row) => row.configuration.name === BASELINE)!;
    console.log(`\nmixed workload, ${CONCURRENCY} shoppers, means over ${ROUNDS} round(s) of ${SECONDS} s (${CORES} cores):`);
    printColumns(
      [
        'configuration',
        'req/s',
        '× 1+1',
        'p50 ms',
        'p99 ms',
        'errors',
        'slates on rec-2',
        'jobs/s',
        'platform cores',
        '+ db, redis',
        'other cores',
        'req/s per core',
      ],
      byConfiguration.map((row) => [
        row.configuration.name,
        row.perSecond.toFixed(1),
        (row.perSecond / baseline.perSecond).toFixed(3),
        row.p50.toFixed(1),
        row.p99.toFixed(1),
        String(row.errors),
        `${(100 * row.secondReplicaShare).toFixed(0)} %`,
        row.jobsPerSecond.toFixed(1),
        row.platformCores.toFixed(2),
        row.cores.toFixed(2),
        row.otherCores.toFixed(2),
        row.perCore.toFixed(1),
      ]),
    );
    console.log('\nCPU ms per request (replicas added up):');
    printColumns(
      ['configuration', ...KINDS, ...SERVERS],
      byConfiguration.map((row) => [row.configuration.name, ...[...KINDS, ...SERVERS].map((kind) => row.cpuMs[kind].toFixed(2))]),
    );
    const gatewayP50 = mean(overhead.map((pair) => pair.gateway.p50Ms));
    const directP50 = mean(overhead.map((pair) => pair.direct.p50Ms));
    const gatewayCpuMs = mean(overhead.map((pair) => pair.gatewayCpuMs));
    console.log(
      `\ngateway overhead on a catalogue page: p50 ${gatewayP50.toFixed(2)} ms via the gateway against ${directP50.toFixed(2)} ms direct (${(gatewayP50 / directP50).toFixed(2)}×), ${gatewayCpuMs.toFixed(2)} gateway CPU ms per request`,
    );
    console.log(
      `load average (1, 5, 15 min): ${loadAtStart.map((value) => value.toFixed(2)).join(', ')} at the start, ${loadAtEnd.map((value) => value.toFixed(2)).join(', ')} at the end`,
    );
    const result = {
      bench: 'scale',
      cores: CORES,
      concurrency: CONCURRENCY,
      seconds_per_run: SECONDS,
      rounds: ROUNDS,
      products: drafts.length,
      load_average_start: loadAtStart.map((value) => round(value)),
      load_average_end: loadAtEnd.map((value) => round(value)),
      baseline: BASELINE,
      configurations: Object.fromEntries(
        byConfiguration.map((row) => [
          row.configuration.name,
          {
            recommendation_replicas: row.configuration.recommendation,
            workers: row.configuration.worker,
            req_per_s: round(row.perSecond, 1),
            ratio_req_per_s: round(row.perSecond / baseline.perSecond, 3),
            p50_ms: round(row.p50),
            p99_ms: round(row.p99),
            errors: row.errors,
            second_replica_slate_share: round(row.secondReplicaShare, 3),
            interest_updates_per_s: round(row.jobsPerSecond),
            platform_cores_busy: round(row.platformCores),
            cores_busy_with_db_redis: round(row.cores),
            other_cores_busy: round(row.otherCores),
            req_per_s_per_core: round(row.perCore, 1),
            cpu_ms_per_request: Object.fromEntries(Object.entries(row.cpuMs).map(([kind, ms]) => [kind, round(ms)])),
          },
        ]),
      ),
      gateway_overhead: {
        query: 'products(first: 12) { id title price }',
        gateway_p50_ms: round(gatewayP50),
        direct_p50_ms: round(directP50),
        ratio_p50: round(gatewayP50 / directP50, 3),
        gateway_req_per_s: round(mean(overhead.map((pair) => pair.gateway.perSecond)), 1),
        direct_req_per_s: round(mean(overhead.map((pair) => pair.direct.perSecond)), 1),
        gateway_cpu_ms_per_request: round(gatewayCpuMs),
      },
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
